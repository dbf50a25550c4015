package dev.herald.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeanTokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstAtOnceThenTheRateAndNeverMoreThanTheBurstSavedUp() {
        LeanTokenBucket bucket = new LeanTokenBucket(5, 2, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).as("burst used up").isFalse();
        assertThat(bucket.tryTake(SECOND / 5)).as("one more after 1/rate").isTrue();
        assertThat(bucket.tryTake(SECOND / 5)).isFalse();
        long later = 100 * SECOND;
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).as("a long pause saves up no more than the burst").isFalse();
    }

    @Test
    void timeGoingBackwardsAddsNothingAndBadSettingsAreRefused() {
        LeanTokenBucket bucket = new LeanTokenBucket(1, 1, 10 * SECOND);
        assertThat(bucket.tryTake(10 * SECOND)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        assertThatThrownBy(() -> new LeanTokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LeanTokenBucket(1, 0.5, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
