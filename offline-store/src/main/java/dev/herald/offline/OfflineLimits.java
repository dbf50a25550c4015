package dev.herald.offline;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of the offline store, bound from {@code herald.offline.*} by every service that writes to it (the
 * dispatcher stores, access nodes record ACKs, the saver serves both through its API): they must agree, so
 * they read the same keys.
 *
 * @param maxPendingPerDevice unicasts kept per device; beyond it those that expire first are dropped
 * @param broadcastLogSize    broadcasts kept per app for devices that reconnect
 * @param cursorTtl           how long a device's server-side broadcast cursor lives after its last ACK
 * @param ackDedupWindow      how long a device's acknowledged ids are remembered, so a repeated ACK (or a store
 *                            re-sent by a recovering dispatcher) does not count or queue the message again
 * @param ackDedupSize        acknowledged ids remembered per device at most
 */
@ConfigurationProperties("herald.offline")
public record OfflineLimits(
        @DefaultValue("1000") int maxPendingPerDevice,
        @DefaultValue("1000") int broadcastLogSize,
        @DefaultValue("P30D") Duration cursorTtl,
        @DefaultValue("P1D") Duration ackDedupWindow,
        @DefaultValue("10000") int ackDedupSize) {

    public OfflineLimits {
        requireAtLeastOne("max-pending-per-device", maxPendingPerDevice);
        requireAtLeastOne("broadcast-log-size", broadcastLogSize);
        requireAtLeastOne("ack-dedup-size", ackDedupSize);
        requireAtLeastOneMilli("cursor-ttl", cursorTtl);
        requireAtLeastOneMilli("ack-dedup-window", ackDedupWindow);
    }

    /** The defaults, with other bounds of the pending sets and broadcast logs (tests, tools). */
    public static OfflineLimits of(int maxPendingPerDevice, int broadcastLogSize) {
        return new OfflineLimits(maxPendingPerDevice, broadcastLogSize, Duration.ofDays(30), Duration.ofDays(1), 10_000);
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("herald.offline." + name + " must be at least 1, was " + value);
        }
    }

    private static void requireAtLeastOneMilli(String name, Duration value) {
        if (value == null || value.toMillis() < 1) {
            throw new IllegalArgumentException("herald.offline." + name + " must be at least 1ms, was " + value);
        }
    }
}
