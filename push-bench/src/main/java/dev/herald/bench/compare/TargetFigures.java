package dev.herald.bench.compare;

import dev.herald.bench.report.LatencySummary;
import java.util.List;
import java.util.Map;

/**
 * What one target measured; a scenario the run did not reach (the target failed earlier) is {@code null}.
 *
 * @param error why the target's run stopped early; {@code null} when it completed
 */
record TargetFigures(String target, String description, String error, Connects connects, IdleMemory memory,
                     IdleMemory memoryAtMore, Broadcasts broadcasts, Burst burst, Unicasts flatOut, Unicasts paced,
                     Map<String, Integer> disconnects) {

    /** Connecting {@code attempted} devices, not paced, with a bounded number of handshakes in flight. */
    record Connects(int attempted, int connected, int failed, Map<String, Integer> failures, double seconds,
                    double perSecond, LatencySummary handshake) {
    }

    /** The server's RSS before any device and with {@code connections} idle devices. */
    record IdleMemory(int connections, Long rssBeforeBytes, Long rssAfterBytes, Double bytesPerConnection) {
    }

    /**
     * Broadcasts one at a time: per broadcast, the time from its send stamp until the last device had it;
     * median and p99 over the broadcasts that reached every device. {@code accepted}: not rejected by the target.
     */
    record Broadcasts(int sent, int accepted, int devices, int reachingAll, long missing, Double medianToLastMs,
                      Double p99ToLastMs, List<Double> toLastMs) {
    }

    /**
     * {@code sent} broadcasts at once to {@code devices}: deliveries per second from the first send to the last
     * receipt. {@code accepted}: not rejected by the target.
     */
    record Burst(int sent, long accepted, int devices, long expected, long delivered, long missing, double seconds,
                 Double deliveriesPerSecond) {
    }

    /**
     * Unicasts to the connected devices in turn, flat out ({@code targetRate} 0) or paced.
     *
     * @param deliveredPerSecond deliveries from the first send to the last receipt
     * @param endToEnd from each message's due time (paced) or send time (flat out) to its receipt
     * @param redisCommands Redis commands executed meanwhile (Herald); {@code null} when not measured
     * @param stalled the sender stopped early: nothing was delivered for 5 s with the window full
     */
    record Unicasts(double targetRate, double seconds, long sent, double achievedRate, long accepted, long rejected,
                    Map<String, Integer> failures, long delivered, long missing, Double deliveredPerSecond,
                    LatencySummary endToEnd, Long redisCommands, Double redisCommandsPerDelivery, boolean stalled) {
    }
}
