package dev.herald.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.report.LatencySummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    private static final CompareSettings SETTINGS = new CompareSettings(10_000, 19_000, "cmp-", 200, 2,
            Duration.ofSeconds(10), "", 100, 10, 100, 10, 10_000, 2_000, 10, Duration.ofSeconds(60), Duration.ofSeconds(1));

    /** A target that measured everything, with the figures given. */
    private static TargetFigures target(String name, double bytesPerConnection, double connectsPerSecond, double medianMs,
                                        double burstPerSecond, double unicastPerSecond, double p99Ms, Double redisPerUnicast) {
        LatencySummary paced = new LatencySummary(20_000, 0.5, 0.6, p99Ms, p99Ms, p99Ms, 0.5);
        return new TargetFigures(name, name + " described", null,
                new TargetFigures.Connects(10_000, 10_000, 0, Map.of(), 1.3, connectsPerSecond, paced),
                new TargetFigures.IdleMemory(10_000, 0L, (long) (bytesPerConnection * 10_000), bytesPerConnection),
                new TargetFigures.IdleMemory(19_000, 0L, (long) (bytesPerConnection * 19_000), bytesPerConnection),
                new TargetFigures.Broadcasts(10, 10, 10_000, 10, 0, medianMs, medianMs * 2, List.of(medianMs)),
                new TargetFigures.Burst(100, 100, 10_000, 1_000_000, 1_000_000, 0, 10, burstPerSecond),
                new TargetFigures.Unicasts(0, 10, 500_000, 50_000, 500_000, 0, Map.of(), 500_000, 0, unicastPerSecond, paced,
                        redisPerUnicast == null ? null : 4_000_000L, redisPerUnicast, false),
                new TargetFigures.Unicasts(2_000, 10, 20_000, 2_000, 20_000, 0, Map.of(), 20_000, 0, 2_000.0, paced, null, null,
                        false),
                Map.of());
    }

    @Test
    void oneRowPerFigureWithHeraldsRatioToEachPeer() {
        String md = ComparisonTable.markdown(List.of("# title"), SETTINGS, List.of(
                target("Herald", 2_457.6, 2_500, 206, 119_500, 3_000, 139, 8.0),
                target("mosquitto", 1_105.9, 7_700, 222, 41_000, 111_000, 0.8, null),
                target("NATS", 22_220.8, 9_200, 108, 2_000_000, 100_000, 0.7, null)));

        assertThat(md).startsWith("# title\n\n| scenario | better | Herald | mosquitto | NATS | Herald ÷ mosquitto | Herald ÷ NATS |\n");
        assertThat(md).contains("| idle memory: RSS per connection at 10 000 | lower | 2.40 KB | 1.08 KB | 21.70 KB | 2.22× | 0.11× |");
        assertThat(md).contains("| idle memory: RSS per connection at 19 000 | lower |");
        assertThat(md).contains("| connects/s (10 000 devices, 200 handshakes in flight) | higher | 2 500/s | 7 700/s | 9 200/s | 0.32× | 0.27× |");
        assertThat(md).contains("| one broadcast reaching all 10 000: time to last device, median of 10 | lower | 206 ms | 222 ms | 108 ms | 0.93× | 1.91× |");
        assertThat(md).contains("| bursts 100 × 10 000: deliveries/s | higher | 119 500/s | 41 000/s | 2 000 000/s | 2.91× | 0.060× |");
        assertThat(md).contains("| unicast flat out (10 s, ≤ 10 000 undelivered): delivered/s | higher | 3 000/s | 111 000/s | 100 000/s | 0.027× | 0.030× |");
        assertThat(md).contains("| unicast paced 2 000/s: end-to-end p99 | lower | 139 ms | 0.80 ms | 0.70 ms | 174× | 199× |");
        assertThat(md).contains("| Redis commands per durable unicast (flat out) | lower | 8.0 | – | – | – | – |");
        assertThat(md).contains("| deliveries missing, all scenarios |  | 0 | 0 | 0 |  |  |");
        assertThat(md).contains("- Herald described\n");
    }

    @Test
    void withoutHeraldThereAreNoRatioColumnsAndAFailedTargetShowsDashesAndWhy() {
        TargetFigures failed = new TargetFigures("NATS", "NATS: not started", "nats-server is missing", null, null, null, null,
                null, null, null, Map.of());
        String md = ComparisonTable.markdown(List.of(), SETTINGS, List.of(
                target("mosquitto", 1_105.9, 7_700, 222, 41_000, 111_000, 0.8, null), failed));

        assertThat(md).contains("| scenario | better | mosquitto | NATS |\n");
        assertThat(md).doesNotContain("÷");
        assertThat(md).contains("| connects/s (10 000 devices, 200 handshakes in flight) | higher | 7 700/s | – |");
        assertThat(md).contains("- NATS did not finish: nats-server is missing");
    }

    @Test
    void ratiosNeedBothFiguresAndANonZeroDivisor() {
        assertThat(ComparisonTable.ratio(2.0, 1.0)).isEqualTo("2.00×");
        assertThat(ComparisonTable.ratio(1.0, 0.0)).isEqualTo("–");
        assertThat(ComparisonTable.ratio(null, 1.0)).isEqualTo("–");
        assertThat(ComparisonTable.ratio(1.0, null)).isEqualTo("–");
        assertThat(ComparisonTable.ratio(1234.0, 1.0)).isEqualTo("1234×");
    }

    @Test
    void shortfallsAreNoted() {
        TargetFigures t = target("Herald", 2_000, 2_000, 200, 100_000, 3_000, 100, 8.0);
        TargetFigures slow = new TargetFigures(t.target(), t.description(), null, t.connects(), t.memory(), t.memoryAtMore(),
                new TargetFigures.Broadcasts(10, 10, 10_000, 7, 300, 200.0, 300.0, List.of()), t.burst(), t.flatOut(),
                new TargetFigures.Unicasts(2_000, 10, 12_000, 1_200, 11_900, 100, Map.of("HTTP 503", 100), 11_900, 0, 1_190.0,
                        t.paced().endToEnd(), null, null, true),
                Map.of("CLOSED", 3));

        assertThat(ComparisonTable.notes(List.of(slow))).contains(
                "Herald: 7 of 10 one-at-a-time broadcasts reached every device (median and p99 are over those)",
                "Herald: paced unicast sent 1 200/s of the 2 000/s asked (latency counts from each message's due time)",
                "Herald: paced unicast: 100 rejected {HTTP 503=100}",
                "Herald: paced unicast stopped early: nothing was delivered for 5 s with the window full",
                "Herald: devices disconnected by the server during the run {CLOSED=3}");
    }
}
