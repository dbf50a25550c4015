package dev.herald.dispatcher.uplink;

import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.dispatcher.DispatcherProperties;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides what follows a failed callback attempt: another attempt after an exponential, jittered backoff,
 * or the dead-letter stream once {@code max-attempts} are spent (at once when no attempt is possible).
 */
final class RetryPolicy {

    /** The next step for a failed uplink: exactly one of the two is set. */
    record Decision(UplinkRetry retry, long retryAt, UplinkDeadLetter deadLetter) {
    }

    private final long initialMillis;
    private final long maxMillis;
    private final int maxAttempts;

    RetryPolicy(DispatcherProperties.Uplink properties) {
        this(properties.initialBackoff(), properties.maxBackoff(), properties.maxAttempts());
    }

    RetryPolicy(Duration initial, Duration max, int maxAttempts) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.maxAttempts = maxAttempts;
    }

    /**
     * @param attemptsBefore attempts made before the one that just failed
     * @param result         the failed attempt (or the reason none was possible)
     */
    Decision afterFailure(UplinkMessage message, int attemptsBefore, CallbackResult result, long now) {
        int attempts = result.attempted() ? attemptsBefore + 1 : attemptsBefore;
        if (!result.attempted() || attempts >= maxAttempts) {
            return new Decision(null, 0, new UplinkDeadLetter(message, attempts, result.error(), now));
        }
        return new Decision(new UplinkRetry(message, attempts, result.error()), now + delayMillis(attempts), null);
    }

    /**
     * Delay after the {@code attempts}-th failed attempt: {@code initial * 2^(attempts-1)} capped at
     * {@code max}, then "equal jitter" (half fixed, half random) so that callbacks failing together, as
     * when a receiver goes down, do not all come back in the same instant.
     */
    long delayMillis(int attempts) {
        long base = initialMillis;
        for (int i = 1; i < attempts && base < maxMillis; i++) {
            base *= 2; // no overflow: base is below max before doubling
        }
        base = Math.min(base, maxMillis);
        long half = base / 2;
        return half + ThreadLocalRandom.current().nextLong(base - half + 1);
    }
}
