package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.herald.bench.report.HistogramCodec;
import dev.herald.bench.report.Phase;
import dev.herald.bench.worker.MessageReceipt;
import dev.herald.bench.worker.ReceiveStats;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ScenarioFiguresTest {

    private static final SendSpec BURST = new SendSpec("http://x", "k", 2, true, 0, 64, false, 60, 0, 0, 8, 5, 1, PushApiClient.Auth.SIGNED);

    @Test
    void broadcastReportsTheTimeUntilTheLastDeviceHadEachMessage() {
        Histogram latencies = HistogramCodec.empty();
        latencies.recordValue(1_000);
        ReceiveStats received = new ReceiveStats(4, 0, 0, 0, Map.of(), 1_001_000, 1_300_000, HistogramCodec.encode(latencies), "",
                List.of(new MessageReceipt(0, 1_000_000, 2, 1_001_000, 1_100_000),
                        new MessageReceipt(1, 1_000_000, 2, 1_002_000, 1_300_000)));

        Phase phase = BroadcastScenario.phase(BURST, 2, 2, 0, received, HistogramCodec.empty(), 0.5);

        BroadcastScenario.BroadcastFigures f = (BroadcastScenario.BroadcastFigures) phase.figures();
        assertThat(f.expectedDeliveries()).isEqualTo(4);
        assertThat(f.missing()).isZero();
        assertThat(f.messagesReachingAll()).isEqualTo(2);
        // 3 significant digits: the histogram keeps 300 ms as 300.0..300.1 ms
        assertThat(f.timeToLastDevice().maxMs()).isCloseTo(300.0, within(0.2));
        assertThat(f.timeToFirstDevice().maxMs()).isCloseTo(2.0, within(0.01));
        // 4 deliveries from the first send to the last receipt, 0.3 s
        assertThat(f.deliveriesPerSecond()).isEqualTo(13.3);
        assertThat(phase.line()).startsWith("[broadcast] 2/2 broadcasts (burst) to 2 devices: 4/4 delivered");
    }

    @Test
    void unicastCountsWhatWentMissing() {
        ReceiveStats received = new ReceiveStats(90, 0, 0, 0, Map.of(), 1_000_000, 2_000_000, "", "", List.of());
        SendSpec paced = new SendSpec("http://x", "k", 0, false, 0, 64, false, 60, 100, 1, 8, 5, 1, PushApiClient.Auth.SIGNED);

        Phase phase = UnicastScenario.phase(paced, 100, 1.0, 95, 5, Map.of("HTTP 503", 5), received, HistogramCodec.empty(), 0, 1.2);

        UnicastScenario.UnicastFigures f = (UnicastScenario.UnicastFigures) phase.figures();
        assertThat(f.missing()).isEqualTo(5);
        assertThat(f.deliveriesPerSecond()).isEqualTo(90.0);
        assertThat(f.achievedRate()).isEqualTo(100.0);
        assertThat(phase.summary()).contains("rejected {HTTP 503=5}");
    }

    @Test
    void nodeMemoryPerConnectionDividesByTheNodesOwnGauge() {
        NodeProbe.Reading before = new NodeProbe.Reading(48L << 20, 30_000_000L, 400L << 20, 5L);
        NodeProbe.Reading after = new NodeProbe.Reading(100L << 20, 85_000_000L, 530L << 20, 10_005L);

        NodeMemory m = NodeMemory.of(before, after, 9_990);

        assertThat(m.connectionsCounted()).isEqualTo(10_000);
        assertThat(m.livePerConnectionBytes()).isEqualTo(5_500.0);
        assertThat(m.summary()).contains("live heap").contains("5.4 KB/connection");
    }

    @Test
    void readsHeapAndConnectionsFromPrometheusText() {
        String text = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="ZGC Old Generation"} 4.194304E7
                jvm_memory_used_bytes{area="heap",id="ZGC Young Generation"} 1.4680064E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.8552856E7
                herald_access_connections{cell="default",node="access-1",protocol="mqtt",service="access-service"} 200.0
                herald_access_connections{cell="default",node="access-1",protocol="native",service="access-service"} 1200.0
                herald_access_connections{cell="default",node="access-1",protocol="websocket",service="access-service"} 100.0
                herald_access_connections_opened_total{cell="default",node="access-1",protocol="native"} 9999.0
                """;
        assertThat(NodeProbe.heapUsed(text)).isEqualTo(41_943_040L + 14_680_064L);
        assertThat(NodeProbe.gauge(text, "herald_access_connections")).isEqualTo(1500);
        assertThat(NodeProbe.gauge(text, "missing")).isNull();
        assertThat(NodeProbe.histogramTotal("Total        412345       33554432", null)).isEqualTo(33_554_432L);
        assertThat(NodeProbe.histogramTotal(" 1:   100  200  java.lang.String", 7L)).isEqualTo(7L);
    }
}
