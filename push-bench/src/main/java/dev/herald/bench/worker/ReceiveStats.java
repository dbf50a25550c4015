package dev.herald.bench.worker;

import dev.herald.bench.report.HistogramCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What the devices of one worker (or, merged, of the run) received.
 *
 * @param deliveries messages of this run received (every PUSH counts, duplicates too)
 * @param replays those of them flagged REPLAY (from the offline store)
 * @param foreign messages that were not this run's (other runs, other senders)
 * @param warmups warm-up messages received
 * @param disconnects devices that lost their connection during the run, by reason
 * @param latencyHistogram latency of every delivery from its due time (the sender's schedule), microseconds, encoded
 * @param fromSendHistogram latency of every delivery from the moment it was actually sent, microseconds, encoded
 * @param broadcasts per-broadcast receipts, by seq
 */
public record ReceiveStats(long deliveries, long replays, long foreign, long warmups, Map<String, Integer> disconnects,
                           long firstMicros, long lastMicros, String latencyHistogram, String fromSendHistogram,
                           List<MessageReceipt> broadcasts) {

    public ReceiveStats {
        disconnects = disconnects == null ? Map.of() : new TreeMap<>(disconnects);
        broadcasts = broadcasts == null ? List.of() : List.copyOf(broadcasts);
    }

    public static ReceiveStats none() {
        return new ReceiveStats(0, 0, 0, 0, Map.of(), 0, 0, "", "", List.of());
    }

    public Histogram latencies() {
        return HistogramCodec.decode(latencyHistogram);
    }

    public Histogram latenciesFromSend() {
        return HistogramCodec.decode(fromSendHistogram);
    }

    public int disconnectCount() {
        return disconnects.values().stream().mapToInt(Integer::intValue).sum();
    }

    public static ReceiveStats merge(List<ReceiveStats> parts) {
        long deliveries = 0;
        long replays = 0;
        long foreign = 0;
        long warmups = 0;
        long first = Long.MAX_VALUE;
        long last = 0;
        Map<String, Integer> disconnects = new TreeMap<>();
        Map<Integer, MessageReceipt> receipts = new TreeMap<>();
        List<Histogram> histograms = new ArrayList<>();
        List<Histogram> fromSend = new ArrayList<>();
        for (ReceiveStats p : parts) {
            deliveries += p.deliveries;
            replays += p.replays;
            foreign += p.foreign;
            warmups += p.warmups;
            if (p.deliveries > 0) {
                first = Math.min(first, p.firstMicros);
                last = Math.max(last, p.lastMicros);
            }
            p.disconnects.forEach((k, v) -> disconnects.merge(k, v, Integer::sum));
            for (MessageReceipt r : p.broadcasts) {
                receipts.merge(r.seq(), r, MessageReceipt::merge);
            }
            histograms.add(p.latencies());
            fromSend.add(p.latenciesFromSend());
        }
        return new ReceiveStats(deliveries, replays, foreign, warmups, disconnects, first == Long.MAX_VALUE ? 0 : first,
                last, HistogramCodec.encode(HistogramCodec.merge(histograms)), HistogramCodec.encode(HistogramCodec.merge(fromSend)),
                new ArrayList<>(receipts.values()));
    }
}
