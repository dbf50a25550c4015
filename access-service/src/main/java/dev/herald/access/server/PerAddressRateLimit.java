package dev.herald.access.server;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * New connections per client address: a token bucket per address ({@code rate} per second, up to
 * {@code burst} at once). Bounded: at most {@code maxTracked} addresses are kept, least recently seen
 * first out. Forgetting an address costs nothing but a fresh, full bucket, which is also what an address
 * gets once it has been quiet for {@code burst / rate} seconds, so the bound never lets a flood through
 * faster than its burst.
 *
 * <p>Not thread-safe: the accepting event loop (one thread) is its only user, so there is no locking
 * on the accept path.
 */
final class PerAddressRateLimit {

    private final double tokensPerNano;
    private final double burst;
    private final Map<InetAddress, Bucket> buckets;

    /** A small mutable pair per address; the map's entry is the only reference. */
    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    PerAddressRateLimit(double ratePerSecond, double burst, int maxTracked) {
        if (ratePerSecond <= 0 || burst < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("rate and burst must be positive, burst at least 1, maxTracked >= 1");
        }
        this.tokensPerNano = ratePerSecond / TimeUnit.SECONDS.toNanos(1);
        this.burst = burst;
        this.buckets = new LinkedHashMap<>(Math.min(maxTracked, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                return size() > maxTracked;
            }
        };
    }

    /** Takes one connection from {@code address}'s bucket; {@code false} when it is empty. */
    boolean tryAcquire(InetAddress address, long nowNanos) {
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            bucket = new Bucket();
            bucket.tokens = burst;
            bucket.updatedNanos = nowNanos;
            buckets.put(address, bucket);
        } else {
            long elapsed = Math.max(0, nowNanos - bucket.updatedNanos);
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * tokensPerNano);
            bucket.updatedNanos = nowNanos;
        }
        if (bucket.tokens < 1) {
            return false;
        }
        bucket.tokens -= 1;
        return true;
    }

    /** Addresses currently tracked. */
    int tracked() {
        return buckets.size();
    }
}
