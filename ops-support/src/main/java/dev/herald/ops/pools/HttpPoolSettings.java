package dev.herald.ops.pools;

import java.time.Duration;

/**
 * How an HTTP client pool behaves.
 *
 * @param maxConnections most connections open at once (per remote address)
 * @param acquireTimeout longest a request waits for a free connection before it fails (an acquire time-out)
 * @param maxIdleTime    a connection idle this long is closed (an idle time-out)
 * @param evictEvery     how often idle connections are looked for in the background
 */
public record HttpPoolSettings(int maxConnections, Duration acquireTimeout, Duration maxIdleTime, Duration evictEvery) {

    public HttpPoolSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (acquireTimeout == null || acquireTimeout.toMillis() < 1 || maxIdleTime == null || maxIdleTime.toMillis() < 1
                || evictEvery == null || evictEvery.toMillis() < 1) {
            throw new IllegalArgumentException("pool durations must be at least 1ms");
        }
    }

    /** Idle connections closed after 30 s, looked for every 10 s. */
    public static HttpPoolSettings of(int maxConnections, Duration acquireTimeout) {
        return new HttpPoolSettings(maxConnections, acquireTimeout, Duration.ofSeconds(30), Duration.ofSeconds(10));
    }
}
