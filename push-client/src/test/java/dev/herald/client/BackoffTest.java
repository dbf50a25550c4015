package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @Test
    void delayDoublesPerAttemptWithJitterDownToHalf() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayMillis(0)).isBetween(50L, 100L);
            assertThat(backoff.delayMillis(1)).isBetween(100L, 200L);
            assertThat(backoff.delayMillis(3)).isBetween(400L, 800L);
        }
    }

    @Test
    void delayIsCappedAtTheMaximumEvenAfterManyAttempts() {
        for (int attempt : new int[] {5, 20, 64, 10_000}) {
            assertThat(backoff.delayMillis(attempt)).isBetween(1000L, 2000L);
        }
    }

    @Test
    void initialMustBePositiveAndNotAboveTheMaximum() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
