package dev.herald.access.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

class BatcherTest {

    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    private Mono<Void> record(List<Integer> batch) {
        batches.add(List.copyOf(batch));
        return Mono.empty();
    }

    @Test
    void itemsWithinTheWindowShareOneBatch() throws Exception {
        Batcher<Integer> batcher = new Batcher<>("test", Duration.ofMillis(50), 100, 1, this::record, Schedulers.parallel());

        CompletableFuture<Void> first = batcher.add(1);
        CompletableFuture<Void> second = batcher.add(2);
        second.get(5, TimeUnit.SECONDS);

        assertThat(first).isDone();
        assertThat(batches).containsExactly(List.of(1, 2));
    }

    @Test
    void aFullBatchLeavesAtOnceAndBatchesKeepTheirOrder() throws Exception {
        Batcher<Integer> batcher = new Batcher<>("test", Duration.ofSeconds(30), 3, 1, this::record, Schedulers.parallel());

        for (int i = 1; i <= 6; i++) {
            batcher.add(i);
        }
        CompletableFuture<Void> last = batcher.add(7);
        batcher.flush().get(5, TimeUnit.SECONDS);

        assertThat(last).isDone();
        assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
    }

    @Test
    void onlyMaxInFlightBatchesAreInTheSinkAtOnce() throws Exception {
        List<Sinks.Empty<Void>> pending = new CopyOnWriteArrayList<>();
        Batcher<Integer> batcher = new Batcher<>("test", Duration.ofSeconds(30), 1, 2, batch -> {
            Sinks.Empty<Void> done = Sinks.empty();
            pending.add(done);
            return done.asMono();
        }, Schedulers.parallel());

        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(batcher.add(i));
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pending).hasSize(2));
        assertThat(futures).noneMatch(CompletableFuture::isDone);

        // Two drains on different threads may hand their batches to the sink in either order, so the
        // first pending completion finishes one of the first two items, not necessarily item 0.
        pending.get(0).tryEmitEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> futures.stream().filter(CompletableFuture::isDone).count() == 1);
        assertThat(futures.subList(2, 4)).noneMatch(CompletableFuture::isDone);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(pending).hasSize(3));

        pending.get(1).tryEmitEmpty();
        pending.get(2).tryEmitEmpty();
        pending.get(3).tryEmitEmpty();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aFailingSinkStillCompletesTheBatchAndFreesItsSlot() {
        // Fails with an error signal, then by throwing, then succeeds: one slot in flight, so a failed batch
        // that kept its slot would hold back every later one.
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        Batcher<Integer> batcher = new Batcher<>("test", Duration.ZERO, 10, 1, batch -> {
            attempts.addAll(batch);
            if (batch.contains(1)) {
                return Mono.error(new IllegalStateException("saver down"));
            }
            if (batch.contains(2)) {
                throw new IllegalStateException("sink threw");
            }
            return record(batch);
        }, Schedulers.parallel());

        assertThat(batcher.add(1)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(batcher.add(2)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(batcher.add(3)).succeedsWithin(Duration.ofSeconds(5));

        assertThat(attempts).containsExactly(1, 2, 3);
        assertThat(batches).containsExactly(List.of(3));
    }
}
