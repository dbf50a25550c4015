package dev.herald.access.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendAllowanceTest {

    @Test
    void aBurstThenTheRate() {
        SendAllowance allowance = new SendAllowance(5, 2, 0);
        assertThat(allowance.tryTake(0)).isTrue();
        assertThat(allowance.tryTake(0)).isTrue();
        assertThat(allowance.tryTake(0)).isFalse();
        // 5/s: the next one after 200 ms.
        assertThat(allowance.tryTake(150_000_000L)).isFalse();
        assertThat(allowance.tryTake(210_000_000L)).isTrue();
        // Never more than the burst saved up.
        assertThat(allowance.tryTake(60_000_000_000L)).isTrue();
        assertThat(allowance.tryTake(60_000_000_000L)).isTrue();
        assertThat(allowance.tryTake(60_000_000_000L)).isFalse();
    }
}
