package dev.herald.core.redis.stream;

import dev.herald.core.redis.DedicatedConnection;
import io.lettuce.core.AbstractRedisClient;
import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/**
 * A stream consumer as a Spring lifecycle bean: its {@link StreamWorker} starts and stops with the application in
 * {@code phase}. A consumer says only what it does ({@link StreamWorker.Loop}: set-up, one turn, finish) and, when
 * it must, what happens just before a start ({@link #starting}) or after a stop ({@link #stopped}).
 */
public abstract class StreamConsumer implements SmartLifecycle, StreamWorker.Loop {

    private final StreamWorker worker;
    private final int phase;
    private final Duration stopTimeout;

    /**
     * @param name           the worker thread's name
     * @param commandTimeout the worker connection's command timeout ({@code null}: the client's)
     * @param stopTimeout    how long a {@link #stop()} without a callback waits for the thread
     */
    protected StreamConsumer(String name, Supplier<AbstractRedisClient> client, Duration commandTimeout, int phase,
                             Duration stopTimeout) {
        this.worker = new StreamWorker(name, client, commandTimeout, this);
        this.phase = phase;
        this.stopTimeout = stopTimeout;
    }

    /** Runs before each start, on the caller's thread: reset what a restarted consumer starts over from. */
    protected void starting() {
    }

    /** Runs after the worker has stopped (and before a stop's callback is called back). */
    protected void stopped() {
    }

    /** See {@link StreamWorker#inHand}. */
    protected final boolean inHand(Runnable work) {
        return worker.inHand(work);
    }

    /** See {@link StreamWorker#pause}. */
    protected final void pause(Duration duration) {
        worker.pause(duration);
    }

    @Override
    public final void start() {
        if (worker.isRunning()) {
            return;
        }
        starting();
        worker.start();
    }

    @Override
    public final void stop(Runnable callback) {
        worker.stop(() -> {
            stopped();
            callback.run();
        });
    }

    @Override
    public final void stop() {
        worker.stopAndWait(stopTimeout);
        stopped();
    }

    @Override
    public final boolean isRunning() {
        return worker.isRunning();
    }

    @Override
    public final int getPhase() {
        return phase;
    }

    @Override
    public abstract void setUp(DedicatedConnection connection);

    @Override
    public abstract void turn(DedicatedConnection connection);
}
