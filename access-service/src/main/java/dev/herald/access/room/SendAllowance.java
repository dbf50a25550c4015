package dev.herald.access.room;

/**
 * A token bucket: {@code burst} sends at once, then {@code ratePerSecond} on average. Not thread-safe; each
 * member's is used on its connection's event loop.
 */
final class SendAllowance {

    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt;

    SendAllowance(double ratePerSecond, int burst, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.refilledAt = nowNanos;
    }

    /** Takes one send if the allowance has one at {@code nowNanos}. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
