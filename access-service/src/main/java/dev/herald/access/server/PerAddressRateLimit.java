package dev.herald.access.server;

import dev.herald.core.limit.LeanTokenBucket;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * New connections per client address: a {@link LeanTokenBucket} per address ({@code rate} per second, up to
 * {@code burst} at once; lean, since up to {@code maxTracked} of them are kept). Bounded: at most {@code maxTracked} addresses are kept, least recently seen
 * first out. Forgetting an address costs nothing but a fresh, full bucket, which is also what an address
 * gets once it has been quiet for {@code burst / rate} seconds, so the bound never lets a flood through
 * faster than its burst.
 *
 * <p>Not thread-safe: the accepting event loop (one thread) is its only user, so there is no locking
 * on the accept path.
 */
final class PerAddressRateLimit {

    private final double ratePerSecond;
    private final double burst;
    private final Map<InetAddress, LeanTokenBucket> buckets;

    PerAddressRateLimit(double ratePerSecond, double burst, int maxTracked) {
        if (ratePerSecond <= 0 || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate and burst must be positive, burst at least 1, maxTracked >= 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(Math.min(maxTracked, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, LeanTokenBucket> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /** Takes one connection from {@code address}'s bucket; {@code false} when it is empty. */
    boolean tryAcquire(InetAddress address, long nowNanos) {
        LeanTokenBucket bucket = buckets.get(address);
        if (bucket == null) {
            bucket = new LeanTokenBucket(ratePerSecond, burst, nowNanos);
            buckets.put(address, bucket);
        }
        return bucket.tryTake(nowNanos);
    }

    /** Addresses currently tracked. */
    int tracked() {
        return buckets.size();
    }
}
