package dev.herald.access.batch;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Collects items from many threads and hands them to a sink in batches: a batch closes when it holds
 * {@code maxBatch} items or when {@code window} has passed since its first item. At most
 * {@code maxInFlight} batches are in the sink at once; with one, batches reach the sink in the order
 * their items were added, which the route table relies on.
 *
 * <p>The sink owns retries and error logging; an error that still escapes it is logged here and the
 * batch counts as done.
 */
public final class Batcher<T> {

    private static final Logger log = LoggerFactory.getLogger(Batcher.class);

    private final String name;
    private final Duration window;
    private final int maxBatch;
    private final int maxInFlight;
    private final Function<List<T>, Mono<Void>> sink;
    private final Scheduler timer;

    private final Object lock = new Object();
    private final ArrayDeque<Batch<T>> ready = new ArrayDeque<>();
    private final Set<CompletableFuture<Void>> unfinished = new HashSet<>();
    private Batch<T> open;
    private int inFlight;

    public Batcher(String name, Duration window, int maxBatch, int maxInFlight,
                   Function<List<T>, Mono<Void>> sink, Scheduler timer) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be positive");
        }
        this.name = name;
        this.window = window;
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.sink = sink;
        this.timer = timer;
    }

    /**
     * Adds an item to the open batch.
     *
     * @return completes when the item's batch has left the sink, whether it succeeded or not
     */
    public CompletableFuture<Void> add(T item) {
        CompletableFuture<Void> done;
        Batch<T> toTime = null;
        boolean full;
        synchronized (lock) {
            if (open == null) {
                open = new Batch<>(new ArrayList<>(), new CompletableFuture<>());
                unfinished.add(open.done);
                toTime = open;
            }
            open.items.add(item);
            done = open.done;
            full = open.items.size() >= maxBatch;
            if (full) {
                ready.add(open);
                open = null;
            }
        }
        if (full) {
            // Not inline: callers may hold locks (the registry adds routes inside its map's key lock).
            timer.schedule(this::drain);
        } else if (toTime != null) {
            Batch<T> batch = toTime;
            timer.schedule(() -> close(batch), window.toNanos(), TimeUnit.NANOSECONDS);
        }
        return done;
    }

    /** Sends the open batch now and completes when everything added so far has left the sink. */
    public CompletableFuture<Void> flush() {
        CompletableFuture<?>[] pending;
        synchronized (lock) {
            if (open != null) {
                ready.add(open);
                open = null;
            }
            pending = unfinished.toArray(new CompletableFuture<?>[0]);
        }
        drain();
        return CompletableFuture.allOf(pending);
    }

    private void close(Batch<T> batch) {
        synchronized (lock) {
            if (open != batch) {
                return; // already closed because it filled up
            }
            ready.add(open);
            open = null;
        }
        drain();
    }

    private void drain() {
        while (true) {
            Batch<T> batch;
            synchronized (lock) {
                if (inFlight >= maxInFlight || ready.isEmpty()) {
                    return;
                }
                batch = ready.poll();
                inFlight++;
            }
            send(batch);
        }
    }

    private void send(Batch<T> batch) {
        Mono<Void> result;
        try {
            result = sink.apply(batch.items);
        } catch (RuntimeException e) {
            result = Mono.error(e);
        }
        result.subscribe(null,
                error -> {
                    log.error("{} batch of {} items failed", name, batch.items.size(), error);
                    finish(batch);
                },
                () -> finish(batch));
    }

    private void finish(Batch<T> batch) {
        synchronized (lock) {
            inFlight--;
            unfinished.remove(batch.done);
        }
        batch.done.complete(null);
        drain();
    }

    private record Batch<T>(List<T> items, CompletableFuture<Void> done) {
    }
}
