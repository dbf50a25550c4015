package dev.herald.api.limit;

import dev.herald.core.app.AppLimits;
import java.util.concurrent.TimeUnit;

/**
 * One push-api instance's share of one app's send limits: tokens it took from the app's bucket in Redis
 * and may spend without asking again until its lease ends, and whether Redis recently said no. Spending
 * only tokens taken from the shared bucket keeps every instance together within the limits; the price
 * is that tokens parked here are unavailable to other instances until they are spent or handed back
 * (with the next request to Redis). The lease starts at one token, doubles while leases are used up
 * and shrinks to what was used when one runs out unused, so a quiet app parks nothing.
 */
final class LocalAllowance {

    /** A refusal from Redis is repeated locally for at most this long, so a raised limit applies quickly. */
    private static final long MAX_LOCAL_BLOCK_NANOS = TimeUnit.SECONDS.toNanos(1);

    enum Outcome { TAKEN, BLOCKED, ASK_REDIS }

    private final AppLimits limits;
    private final long leaseNanos;
    private final int maxLease;

    private int tokens;
    private long leaseEndsAt;
    private int usedInLease;
    private int nextLease = 1;
    private int refund;
    private long blockedUntil;
    private long retryAt;
    private LimitReason blockedBy;

    LocalAllowance(AppLimits limits, long leaseNanos) {
        this.limits = limits;
        this.leaseNanos = leaseNanos;
        double leaseSeconds = leaseNanos / 1e9;
        // Half a lease's worth of the rate, or a thousandth of a quota without a rate.
        long cap = limits.messagesPerSecond() > 0 ? (long) (limits.messagesPerSecond() * leaseSeconds / 2)
                : limits.messagesPerDay() / 1000;
        this.maxLease = leaseNanos == 0 ? 1 : (int) Math.max(1, Math.min(1000, cap));
    }

    AppLimits limits() {
        return limits;
    }

    /** Takes {@code count} tokens locally when this instance holds them. */
    synchronized Outcome tryTake(long now, int count) {
        if (now - blockedUntil < 0) {
            return Outcome.BLOCKED;
        }
        boolean leaseValid = now - leaseEndsAt < 0;
        if (tokens >= count && leaseValid) {
            tokens -= count;
            usedInLease += count;
            return Outcome.TAKEN;
        }
        if (tokens > 0 && !leaseValid) {
            // The lease ran out unused: hand the rest back and ask for what was really needed.
            nextLease = Math.max(1, usedInLease);
        } else if (leaseValid && usedInLease > 0) {
            nextLease = Math.min(maxLease, nextLease * 2);
        }
        // Whatever is left (too few for this request, or expired) goes back with the request to Redis.
        refund += tokens;
        tokens = 0;
        return Outcome.ASK_REDIS;
    }

    /** How many tokens to ask Redis for when this request needs {@code count}. */
    synchronized int want(int count) {
        return Math.max(count, Math.min(maxLease, nextLease));
    }

    /** Tokens to hand back to the bucket with the next request to Redis (taken: counted once). */
    synchronized int takeRefund() {
        int r = refund;
        refund = 0;
        return r;
    }

    /**
     * What Redis answered: {@code granted} tokens (this request spends {@code count}; Redis grants at
     * least that many or none), or none for {@code reason} with a wait of {@code waitMillis}.
     *
     * @return whether this request may go on
     */
    synchronized boolean granted(long granted, int count, long waitMillis, LimitReason reason, long now) {
        if (granted >= count) {
            tokens += (int) (granted - count);
            usedInLease = count;
            leaseEndsAt = now + leaseNanos;
            return true;
        }
        long wait = TimeUnit.MILLISECONDS.toNanos(Math.max(1, waitMillis));
        retryAt = now + wait;
        blockedUntil = now + Math.min(wait, MAX_LOCAL_BLOCK_NANOS);
        blockedBy = reason;
        return false;
    }

    /** Hands back the refund taken for a request to Redis that failed. */
    synchronized void returnRefund(int unused) {
        refund += unused;
    }

    synchronized LimitReason blockedBy() {
        return blockedBy;
    }

    /** How long until a send may succeed, as far as this instance knows. */
    synchronized long retryAfterNanos(long now) {
        return Math.max(0, retryAt - now);
    }
}
