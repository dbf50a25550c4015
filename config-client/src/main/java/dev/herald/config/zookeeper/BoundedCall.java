package dev.herald.config.zookeeper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * Runs a ZooKeeper call that may block for as long as ZooKeeper is unreachable (Curator retries) on a
 * daemon thread of its own, and waits for it at most a given time: shutdown and start-up must not hang
 * on a dead ensemble. A call that overruns keeps going in the background and is only logged.
 */
public final class BoundedCall {

    @FunctionalInterface
    public interface Call {
        void run() throws Exception;
    }

    private BoundedCall() {
    }

    /** Returns whether {@code call} completed successfully within {@code timeout}. */
    public static boolean run(String what, Duration timeout, Logger log, Call call) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                call.run();
                done.complete(null);
            } catch (Exception | Error e) {
                done.completeExceptionally(e);
            }
        }, "herald-zookeeper-" + what.replace(' ', '-'));
        thread.setDaemon(true);
        thread.start();
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("ZooKeeper: could not {} within {}", what, timeout);
        } catch (ExecutionException e) {
            log.warn("ZooKeeper: could not {}: {}", what, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
