package dev.herald.bench.clock;

import java.util.concurrent.locks.LockSupport;

/**
 * Spaces events at a fixed rate from a start time: event {@code i} is due {@code i / rate} seconds
 * after the start. Due times are computed from the start, not from the previous event, so a late
 * event does not shift the ones after it (the schedule catches up instead of drifting). A rate of
 * {@code 0} means "no pacing": every event is due at once.
 */
public final class RatePacer {

    private final double perSecond;

    public RatePacer(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("rate must be a finite number >= 0, not " + perSecond);
        }
        this.perSecond = perSecond;
    }

    public boolean unpaced() {
        return perSecond == 0;
    }

    public double perSecond() {
        return perSecond;
    }

    /** Nanoseconds after the start at which event {@code index} (from 0) is due. */
    public long dueNanos(long index) {
        if (perSecond == 0) {
            return 0;
        }
        return (long) (index * 1e9 / perSecond);
    }

    /** How many events are due {@code elapsedNanos} after the start (0 before the start). */
    public long dueBy(long elapsedNanos) {
        if (elapsedNanos < 0) {
            return 0;
        }
        if (perSecond == 0) {
            return Long.MAX_VALUE;
        }
        return (long) Math.floor(elapsedNanos * perSecond / 1e9) + 1;
    }

    /**
     * Parks the calling thread until event {@code index} is due, relative to {@code startNanos} (a
     * {@link System#nanoTime} value). Returns at once when it is already due.
     */
    public void awaitTurn(long index, long startNanos) throws InterruptedException {
        long due = startNanos + dueNanos(index);
        while (true) {
            long wait = due - System.nanoTime();
            if (wait <= 0) {
                return;
            }
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
