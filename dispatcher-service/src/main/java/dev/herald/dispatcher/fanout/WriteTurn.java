package dev.herald.dispatcher.fanout;

import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * A batch's place in the order of delivery writes. Several intake batches are dispatched at once, but a
 * device's messages must reach its node's stream in intake order, so each batch issues its delivery writes
 * only after the batch before it has issued its own (or given up). The writes share one pipelined
 * connection, which keeps the order they were issued in; nothing waits for Redis's replies.
 */
public final class WriteTurn {

    private final CompletableFuture<Void> previous;
    private final CompletableFuture<Void> passed = new CompletableFuture<>();

    private WriteTurn(CompletableFuture<Void> previous) {
        this.previous = previous;
    }

    /** The turn of a batch with nothing before it. */
    public static WriteTurn first() {
        return new WriteTurn(CompletableFuture.completedFuture(null));
    }

    /** The turn of the batch read after this one. */
    public WriteTurn next() {
        return new WriteTurn(passed);
    }

    /** Completes when the batch before has issued its writes or given up. */
    Mono<Void> reached() {
        return Mono.fromFuture(previous, true);
    }

    /** This batch has issued its writes, or will issue none: the next may go. Idempotent. */
    public void pass() {
        passed.complete(null);
    }
}
