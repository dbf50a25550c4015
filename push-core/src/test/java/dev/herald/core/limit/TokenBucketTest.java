package dev.herald.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void aBurstThenTheRateAndNeverMoreThanTheBurstSavedUp() {
        TokenBucket bucket = new TokenBucket(5, 2, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        // 5/s: the next one after 200 ms, not before.
        assertThat(bucket.tryTake(150 * MS)).isFalse();
        assertThat(bucket.tryTake(200 * MS)).isTrue();
        assertThat(bucket.tryTake(60_000 * MS)).isTrue();
        assertThat(bucket.tryTake(60_000 * MS)).isTrue();
        assertThat(bucket.tryTake(60_000 * MS)).isFalse();
        assertThat(bucket.lastUsedNanos()).isEqualTo(60_000 * MS);
    }

    @Test
    void partsOfATokenAddUpAcrossCalls() {
        TokenBucket bucket = new TokenBucket(10, 1, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        // 60 ms + 50 ms at 10/s: 0.6 + 0.5 of a token, so the second call has one.
        assertThat(bucket.tryTake(60 * MS)).isFalse();
        assertThat(bucket.tryTake(110 * MS)).isTrue();
    }

    @Test
    void aRateBelowOnePerSecondIsKept() {
        TokenBucket bucket = new TokenBucket(0.5, 3, 5_000 * MS);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(5_000 * MS)).isTrue();
        }
        assertThat(bucket.tryTake(6_999 * MS)).isFalse();
        assertThat(bucket.tryTake(7_000 * MS)).isTrue();
        assertThat(bucket.tryTake(7_000 * MS)).isFalse();
    }

    @Test
    void aRateOrBurstThatAdmitsNothingIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
