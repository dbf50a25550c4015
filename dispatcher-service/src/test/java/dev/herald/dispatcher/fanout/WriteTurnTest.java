package dev.herald.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WriteTurnTest {

    @Test
    void aTurnIsReachedOnlyOnceTheTurnBeforeHasPassed() {
        WriteTurn first = WriteTurn.first();
        WriteTurn second = first.next();
        WriteTurn third = second.next();
        CompletableFuture<Void> secondReached = second.reached().toFuture();
        CompletableFuture<Void> thirdReached = third.reached().toFuture();

        assertThat(first.reached().toFuture()).isCompleted();
        assertThat(secondReached).isNotDone();

        first.pass();
        assertThat(secondReached).succeedsWithin(Duration.ofSeconds(1));
        assertThat(thirdReached).isNotDone();

        second.pass();
        second.pass(); // a batch that passes twice (its writes issued, then its end) passes once
        assertThat(thirdReached).succeedsWithin(Duration.ofSeconds(1));
    }
}
