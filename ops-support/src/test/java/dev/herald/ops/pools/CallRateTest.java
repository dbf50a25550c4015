package dev.herald.ops.pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CallRate rate = new CallRate(now::get);

    private void calls(int n) {
        for (int i = 0; i < n; i++) {
            rate.record();
        }
    }

    @Test
    void theRateIsTheCallsOfTheLastTenWholeSecondsDividedByTen() {
        calls(30);
        assertThat(rate.perSecond()).as("the current second is not over").isZero();

        now.addAndGet(1_000);
        calls(50);
        now.addAndGet(1_000);

        assertThat(rate.perSecond()).isEqualTo(8.0);
    }

    @Test
    void secondsOlderThanTheWindowNoLongerCountAndTheirSlotsAreReused() {
        calls(100);
        now.addAndGet(11_000);
        assertThat(rate.perSecond()).isZero();

        // 16 seconds later the same ring slot comes round again: the old count must not leak in.
        now.addAndGet(5_000);
        calls(20);
        now.addAndGet(1_000);
        assertThat(rate.perSecond()).isEqualTo(2.0);
    }
}
