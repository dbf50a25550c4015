package dev.herald.chatroom.sequencer;

import dev.herald.core.limit.TokenBucket;
import dev.herald.core.room.RoomRef;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-room send rate, a token bucket per room kept in the sequencer's memory: the sequencer is the one place
 * every message of a room passes, so the limit is exact without a Redis counter. Rooms idle long enough to have a
 * full bucket are forgotten (a forgotten room starts again with a full bucket, so that changes nothing). Used by
 * the sequencer thread only.
 */
final class RoomRateLimits {

    private final double ratePerSecond;
    private final int burst;
    /** How long an empty bucket takes to fill. */
    private final long fullAfterNanos;
    private final Map<RoomRef, TokenBucket> buckets = new HashMap<>();
    private long lastCleanup;

    RoomRateLimits(double ratePerSecond, int burst) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.fullAfterNanos = (long) (burst * 1e9 / ratePerSecond);
    }

    /** Takes one message of {@code room} at {@code nowNanos} if the room's bucket has one. */
    boolean tryTake(RoomRef room, long nowNanos) {
        TokenBucket bucket = buckets.get(room);
        if (bucket == null) {
            bucket = new TokenBucket(ratePerSecond, burst, nowNanos);
            buckets.put(room, bucket);
        }
        boolean taken = bucket.tryTake(nowNanos);
        forgetIdle(nowNanos);
        return taken;
    }

    int size() {
        return buckets.size();
    }

    private void forgetIdle(long nowNanos) {
        if (nowNanos - lastCleanup < Math.max(fullAfterNanos, 1_000_000_000L)) {
            return;
        }
        lastCleanup = nowNanos;
        buckets.values().removeIf(bucket -> nowNanos - bucket.lastUsedNanos() >= fullAfterNanos);
    }
}
