package dev.herald.bench.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RatePacerTest {

    @Test
    void eventsAreDueAtIndexOverRateFromTheStart() {
        RatePacer pacer = new RatePacer(2000);
        assertThat(pacer.dueNanos(0)).isZero();
        assertThat(pacer.dueNanos(1)).isEqualTo(500_000);
        assertThat(pacer.dueNanos(2000)).isEqualTo(1_000_000_000L);
        assertThat(pacer.dueNanos(40_000)).isEqualTo(20_000_000_000L);
    }

    @Test
    void countsTheEventsDueByAnElapsedTime() {
        RatePacer pacer = new RatePacer(10);
        assertThat(pacer.dueBy(-1)).isZero();
        assertThat(pacer.dueBy(0)).isEqualTo(1);
        assertThat(pacer.dueBy(99_999_999)).isEqualTo(1);
        assertThat(pacer.dueBy(100_000_000)).isEqualTo(2);
        assertThat(pacer.dueBy(1_000_000_000)).isEqualTo(11);
    }

    @Test
    void aLateEventDoesNotShiftTheOnesAfterIt() {
        RatePacer pacer = new RatePacer(1000);
        // due times depend on the index only: the schedule catches up instead of drifting
        assertThat(pacer.dueNanos(10) - pacer.dueNanos(9)).isEqualTo(1_000_000);
        assertThat(pacer.dueNanos(1_000_000)).isEqualTo(1_000_000_000_000L);
    }

    @Test
    void rateZeroMeansEverythingIsDueAtOnce() throws InterruptedException {
        RatePacer pacer = new RatePacer(0);
        assertThat(pacer.unpaced()).isTrue();
        assertThat(pacer.dueNanos(1_000_000)).isZero();
        assertThat(pacer.dueBy(0)).isEqualTo(Long.MAX_VALUE);
        long start = System.nanoTime();
        pacer.awaitTurn(1_000_000, start);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
    }

    @Test
    void awaitTurnReturnsNoEarlierThanTheDueTime() throws InterruptedException {
        RatePacer pacer = new RatePacer(100);
        long start = System.nanoTime();
        pacer.awaitTurn(3, start);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(30_000_000);
    }

    @Test
    void refusesNegativeOrInfiniteRates() {
        assertThatThrownBy(() -> new RatePacer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatePacer(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RatePacer(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
