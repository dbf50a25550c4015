package dev.herald.bench.clock;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch. Senders and receivers may be different processes
 * (or machines), so {@code System.nanoTime} cannot be compared between them, and
 * {@code currentTimeMillis} is too coarse for sub-millisecond latencies on one machine; {@link Instant#now}
 * reads the clock with microsecond resolution on Linux.
 */
public final class EpochMicros {

    private EpochMicros() {
    }

    public static long now() {
        return of(Instant.now());
    }

    public static long of(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    public static long of(long epochSecond, int nanos) {
        return epochSecond * 1_000_000L + nanos / 1_000;
    }
}
