package dev.herald.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.report.HistogramCodec;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsMergeTest {

    private static String histogramOf(long... values) {
        Histogram h = HistogramCodec.empty();
        for (long v : values) {
            h.recordValue(v);
        }
        return HistogramCodec.encode(h);
    }

    @Test
    void connectStatsAddUpAndSpanTheEarliestStartToTheLatestFinish() {
        ConnectStats a = new ConnectStats(100, 98, 2, Map.of("BAD_TOKEN", 2), 1_000, 5_000, histogramOf(10, 20), 0);
        ConnectStats b = new ConnectStats(100, 99, 1, Map.of("BAD_TOKEN", 1), 2_000, 9_000, histogramOf(30), 0);
        ConnectStats empty = ConnectStats.none();

        ConnectStats merged = ConnectStats.merge(List.of(a, b, empty));

        assertThat(merged.attempted()).isEqualTo(200);
        assertThat(merged.connected()).isEqualTo(197);
        assertThat(merged.failures()).containsExactly(Map.entry("BAD_TOKEN", 3));
        assertThat(merged.startedMicros()).isEqualTo(1_000);
        assertThat(merged.finishedMicros()).isEqualTo(9_000);
        assertThat(merged.handshakes().getTotalCount()).isEqualTo(3);
    }

    @Test
    void broadcastReceiptsMergeBySequenceKeepingTheLastDevice() {
        ReceiveStats a = new ReceiveStats(3, 0, 1, 0, Map.of(), 110, 300, histogramOf(10, 20, 200), histogramOf(5, 10, 100),
                List.of(new MessageReceipt(0, 100, 2, 110, 120), new MessageReceipt(1, 200, 1, 300, 300)));
        ReceiveStats b = new ReceiveStats(2, 1, 0, 5, Map.of("SESSION_REPLACED", 1), 105, 400, histogramOf(5, 200), histogramOf(5, 100),
                List.of(new MessageReceipt(0, 100, 1, 105, 105), new MessageReceipt(1, 200, 1, 400, 400)));

        ReceiveStats merged = ReceiveStats.merge(List.of(a, b));

        assertThat(merged.deliveries()).isEqualTo(5);
        assertThat(merged.replays()).isEqualTo(1);
        assertThat(merged.foreign()).isEqualTo(1);
        assertThat(merged.warmups()).isEqualTo(5);
        assertThat(merged.firstMicros()).isEqualTo(105);
        assertThat(merged.lastMicros()).isEqualTo(400);
        assertThat(merged.disconnectCount()).isEqualTo(1);
        assertThat(merged.latencies().getTotalCount()).isEqualTo(5);
        assertThat(merged.latenciesFromSend().getMaxValue()).isEqualTo(100);
        assertThat(merged.broadcasts()).containsExactly(
                new MessageReceipt(0, 100, 3, 105, 120),
                new MessageReceipt(1, 200, 2, 300, 400));
        assertThat(merged.broadcasts().get(1).microsToLast()).isEqualTo(200);
    }

    @Test
    void anAgentsResultMergesItsProcesses() {
        WorkerResult p0 = new WorkerResult("a-0", 2, new ConnectStats(2, 2, 0, Map.of(), 1, 2, histogramOf(1, 2), 0),
                ReceiveStats.none(), 2);
        WorkerResult p1 = new WorkerResult("a-1", 2, new ConnectStats(2, 1, 1, Map.of("CONNECT_TIMEOUT", 1), 1, 3, histogramOf(3), 0),
                ReceiveStats.none(), 1);

        WorkerResult agent = WorkerResult.merge("a", 4, List.of(p0, p1));

        assertThat(agent.worker()).isEqualTo("a");
        assertThat(agent.connect().connected()).isEqualTo(3);
        assertThat(agent.openAtEnd()).isEqualTo(3);
    }
}
