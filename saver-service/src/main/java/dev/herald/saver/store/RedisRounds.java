package dev.herald.saver.store;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One round of Redis commands for a whole batch. Every command is subscribed without waiting for the
 * reply of another, so Lettuce writes them back to back on its shared connection (a pipeline) and
 * the round costs one network round trip, whatever the batch size. Replies come back in the order
 * of the commands.
 */
final class RedisRounds {

    /**
     * Commands in flight at once within a round. High enough that a batch is one pipeline in
     * practice; bounded so a huge batch does not queue an unbounded number of commands at once.
     */
    private static final int IN_FLIGHT = 8192;

    private RedisRounds() {
    }

    /** Runs the commands, each of which must emit exactly one reply, and collects the replies in order. */
    static <T> Mono<List<T>> all(List<Mono<T>> commands) {
        if (commands.isEmpty()) {
            return Mono.just(List.of());
        }
        return Flux.fromIterable(commands)
                .flatMapSequential(Mono::single, IN_FLIGHT, 1)
                .collectList()
                // Replies arrive on Lettuce's I/O thread; the decoding that follows must not hold it.
                .publishOn(Schedulers.parallel());
    }
}
