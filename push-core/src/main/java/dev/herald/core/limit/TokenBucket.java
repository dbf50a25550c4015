package dev.herald.core.limit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;

/**
 * A token bucket (a Bucket4j local bucket): {@code burst} tokens at once, then {@code ratePerSecond} on average,
 * never more than {@code burst} saved up. It runs on the time its caller passes instead of a clock of its own,
 * because its users are single threads that read the clock once per batch or event (the room sequencer; an
 * access node's event loop) and their tests drive time by hand. Not thread-safe, for the same reason. Where
 * buckets are kept by the hundred thousand, {@link LeanTokenBucket} does the same in a tenth of the memory.
 */
public final class TokenBucket {

    private final CallerTime time;
    private final Bucket bucket;

    /** A full bucket at {@code nowNanos} ({@link System#nanoTime()} or any other monotonic nanosecond count). */
    public TokenBucket(double ratePerSecond, long burst, long nowNanos) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1: " + ratePerSecond
                    + "/s, burst " + burst);
        }
        // Bucket4j counts whole tokens per period: a whole burst per the time an empty bucket takes to fill
        // keeps a fractional rate (0.5/s) exact.
        Duration fillTime = Duration.ofNanos(Math.max(1, Math.round(burst * 1e9 / ratePerSecond)));
        this.time = new CallerTime(nowNanos);
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(burst, fillTime))
                .withCustomTimePrecision(time)
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    /** Takes one token at {@code nowNanos} if the bucket has one. */
    public boolean tryTake(long nowNanos) {
        time.nanos = nowNanos;
        return bucket.tryConsume(1);
    }

    /** The time of the last {@link #tryTake} (or of creation): how long the bucket has been left alone. */
    public long lastUsedNanos() {
        return time.nanos;
    }

    /** The caller's time, set before each use of the bucket. */
    private static final class CallerTime implements TimeMeter {

        long nanos;

        CallerTime(long nanos) {
            this.nanos = nanos;
        }

        @Override
        public long currentTimeNanos() {
            return nanos;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    }
}
