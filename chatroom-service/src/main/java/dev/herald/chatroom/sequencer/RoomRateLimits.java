package dev.herald.chatroom.sequencer;

import dev.herald.core.room.RoomRef;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The per-room send rate, a token bucket per room kept in the sequencer's memory: the sequencer is the one place
 * every message of a room passes, so the limit is exact without a Redis counter. Rooms idle long enough to have a
 * full bucket are forgotten. Used by the sequencer thread only.
 */
final class RoomRateLimits {

    private final double ratePerNano;
    private final double burst;
    private final Map<RoomRef, double[]> buckets = new HashMap<>();
    private long lastCleanup;

    RoomRateLimits(double ratePerSecond, int burst) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
    }

    /** Takes one message of {@code room} at {@code nowNanos} if the room's bucket has one. */
    boolean tryTake(RoomRef room, long nowNanos) {
        double[] bucket = buckets.get(room);
        if (bucket == null) {
            bucket = new double[] {burst, nowNanos};
            buckets.put(room, bucket);
        }
        bucket[0] = Math.min(burst, bucket[0] + (nowNanos - (long) bucket[1]) * ratePerNano);
        bucket[1] = nowNanos;
        forgetIdle(nowNanos);
        if (bucket[0] >= 1) {
            bucket[0] -= 1;
            return true;
        }
        return false;
    }

    int size() {
        return buckets.size();
    }

    private void forgetIdle(long nowNanos) {
        long fullAfter = (long) (burst / ratePerNano);
        if (nowNanos - lastCleanup < Math.max(fullAfter, 1_000_000_000L)) {
            return;
        }
        lastCleanup = nowNanos;
        for (Iterator<double[]> it = buckets.values().iterator(); it.hasNext(); ) {
            if (nowNanos - (long) it.next()[1] >= fullAfter) {
                it.remove();
            }
        }
    }
}
