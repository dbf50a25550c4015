package dev.herald.offline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of the offline store, bound from {@code herald.offline.*} by every service that writes to it (the
 * dispatcher, and the saver's own store API): the two must agree, so they read the same keys.
 *
 * @param maxPendingPerDevice unicasts kept per device; beyond it those that expire first are dropped
 * @param broadcastLogSize    broadcasts kept per app for devices that reconnect
 */
@ConfigurationProperties("herald.offline")
public record OfflineLimits(@DefaultValue("1000") int maxPendingPerDevice, @DefaultValue("1000") int broadcastLogSize) {

    public OfflineLimits {
        if (maxPendingPerDevice < 1) {
            throw new IllegalArgumentException("herald.offline.max-pending-per-device must be at least 1, was "
                    + maxPendingPerDevice);
        }
        if (broadcastLogSize < 1) {
            throw new IllegalArgumentException("herald.offline.broadcast-log-size must be at least 1, was "
                    + broadcastLogSize);
        }
    }
}
