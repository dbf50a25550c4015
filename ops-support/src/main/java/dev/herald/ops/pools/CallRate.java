package dev.herald.ops.pools;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Calls per second over the last {@link #WINDOW_SECONDS} whole seconds, from one counter per second in a
 * ring. Recording is two array operations and never allocates; a slot is reused when its second comes
 * round again. Races at a second's boundary may lose a few counts, which a rate can bear.
 */
final class CallRate {

    static final int WINDOW_SECONDS = 10;
    private static final int SLOTS = 16;

    private final LongSupplier clockMillis;
    private final AtomicLongArray seconds = new AtomicLongArray(SLOTS);
    private final AtomicLongArray counts = new AtomicLongArray(SLOTS);

    CallRate() {
        this(System::currentTimeMillis);
    }

    CallRate(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
        for (int i = 0; i < SLOTS; i++) {
            seconds.set(i, -1);
        }
    }

    void record() {
        long second = clockMillis.getAsLong() / 1000;
        int slot = (int) (second % SLOTS);
        long slotSecond = seconds.get(slot);
        if (slotSecond != second && seconds.compareAndSet(slot, slotSecond, second)) {
            counts.set(slot, 0);
        }
        counts.incrementAndGet(slot);
    }

    /** Calls per second in the {@link #WINDOW_SECONDS} seconds before the current one. */
    double perSecond() {
        long now = clockMillis.getAsLong() / 1000;
        long total = 0;
        for (long second = now - WINDOW_SECONDS; second < now; second++) {
            int slot = (int) (second % SLOTS);
            if (seconds.get(slot) == second) {
                total += counts.get(slot);
            }
        }
        return total / (double) WINDOW_SECONDS;
    }
}
