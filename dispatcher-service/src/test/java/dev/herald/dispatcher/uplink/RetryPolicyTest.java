package dev.herald.dispatcher.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.message.UplinkMessage;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5), 8);
    private final UplinkMessage message = UplinkRedis.uplink("demo", "x");

    @RepeatedTest(20)
    void delayDoublesPerAttemptWithinEqualJitterAndStopsAtTheMaximum() {
        for (int attempts = 1; attempts <= 12; attempts++) {
            long base = Math.min(1000L << (attempts - 1), 300_000L);
            assertThat(policy.delayMillis(attempts)).isBetween(base / 2, base);
        }
        assertThat(policy.delayMillis(1_000)).isBetween(150_000L, 300_000L);
    }

    @Test
    void failedAttemptBeforeTheLastIsRescheduledWithTheErrorAndCount() {
        RetryPolicy.Decision decision = policy.afterFailure(message, 2, CallbackResult.failed("HTTP 502"), 10_000);

        assertThat(decision.deadLetter()).isNull();
        assertThat(decision.retry()).isEqualTo(new UplinkRetry(message, 3, "HTTP 502"));
        assertThat(decision.retryAt()).isBetween(10_000L + 2_000, 10_000L + 4_000);
    }

    @Test
    void lastFailedAttemptDeadLetters() {
        RetryPolicy.Decision decision = policy.afterFailure(message, 7, CallbackResult.failed("HTTP 500"), 42);

        assertThat(decision.retry()).isNull();
        assertThat(decision.deadLetter().attempts()).isEqualTo(8);
        assertThat(decision.deadLetter().lastError()).isEqualTo("HTTP 500");
        assertThat(decision.deadLetter().deadLetteredAt()).isEqualTo(42);
    }

    @Test
    void impossibleAttemptDeadLettersAtOnceWithoutCountingAnAttempt() {
        RetryPolicy.Decision decision = policy.afterFailure(message, 0, CallbackResult.impossible("app demo has no callbackUrl"), 1);

        assertThat(decision.deadLetter().attempts()).isZero();
        assertThat(decision.deadLetter().lastError()).isEqualTo("app demo has no callbackUrl");
    }
}
