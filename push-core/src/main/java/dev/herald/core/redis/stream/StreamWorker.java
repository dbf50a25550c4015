package dev.herald.core.redis.stream;

import dev.herald.core.redis.DedicatedConnection;
import io.lettuce.core.AbstractRedisClient;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every Redis-stream consumer of Herald runs (the dispatcher's intake and uplink workers, the room
 * sequencer, an access node's delivery reader): one daemon thread on a {@link DedicatedConnection} of its own,
 * since a blocking read must never hold the connection every other command is pipelined on; turns of
 * read-and-handle until stopped; after a failure a doubling back-off (100 ms to 5 s) and a new
 * {@linkplain Loop#setUp set-up} before the next turn, also whenever Lettuce re-establishes the connection.
 *
 * <p>A stop ends a blocked read at once (it closes the connection under it), but work {@linkplain #inHand in
 * hand} is finished first; then {@link Loop#finish} runs on the worker's thread, the connection closes and the
 * stop's callback runs. A start right after a stop waits for the stopping thread: one reader at a time.
 */
public final class StreamWorker {

    private static final Logger log = LoggerFactory.getLogger(StreamWorker.class);
    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** What a consumer does on its worker's thread. */
    public interface Loop {

        /** After a start, a failure or a reconnect, before the next turn: create the group, find where to read from. */
        void setUp(DedicatedConnection connection);

        /** One read and the handling of what it returned. */
        void turn(DedicatedConnection connection);

        /** Once stopping, on the worker's thread, before the connection closes: wait for work still in flight. */
        default void finish() {
        }
    }

    private final String name;
    private final Supplier<AbstractRedisClient> client;
    private final Duration commandTimeout;
    private final Loop loop;

    private final Object lock = new Object();
    // guarded by lock
    private boolean running;
    private boolean finished = true;
    private boolean inHand;
    private Runnable afterStop;
    private DedicatedConnection connection;

    // the worker thread's, except that a reconnect sets it from a Lettuce thread
    private volatile boolean setUpNeeded;

    /**
     * @param name           the thread's name, and what the logs call this worker
     * @param client         the application's Lettuce client, asked for when the connection is opened
     * @param commandTimeout the connection's command timeout: longer than the longest BLOCK of its reads; {@code null}
     *                       keeps the client's
     */
    public StreamWorker(String name, Supplier<AbstractRedisClient> client, Duration commandTimeout, Loop loop) {
        this.name = name;
        this.client = client;
        this.commandTimeout = commandTimeout;
        this.loop = loop;
    }

    /**
     * Starts the thread. The first set-up runs here, on the caller's thread, so that what it decides (where a reader
     * starts) holds before the caller goes on; when it fails (Redis unreachable) the thread retries it.
     */
    public void start() {
        synchronized (lock) {
            if (running) {
                return;
            }
            while (!finished) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the previous " + name + " was stopping", e);
                }
            }
            running = true;
            finished = false;
            afterStop = null;
        }
        setUpNeeded = true;
        try {
            setUp();
        } catch (RuntimeException e) {
            log.warn("{}: set-up failed at start, retrying in the background: {}", name, e.toString());
        }
        Thread thread = new Thread(this::run, name);
        // Daemon: graceful shutdown goes through stop(); the thread must never be what keeps a JVM alive.
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops: a blocked read ends now, work in hand is finished, then {@code callback} runs (on the worker's thread). */
    public void stop(Runnable callback) {
        synchronized (lock) {
            if (finished) {
                running = false;
                callback.run();
                return;
            }
            running = false;
            afterStop = callback;
            if (!inHand && connection != null) {
                // Blocked in a read, or in a command queued while Redis is unreachable (which would wait out the
                // command timeout): nothing is in hand, end it now.
                connection.abort();
            }
            lock.notifyAll();
        }
    }

    /** {@link #stop(Runnable)} and waits up to {@code timeout} for the thread to end. */
    public void stopAndWait(Duration timeout) {
        CountDownLatch done = new CountDownLatch(1);
        stop(done::countDown);
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {}", name, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether started and not asked to stop. */
    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    /**
     * Runs {@code work} as work in hand, which a stop lets finish instead of aborting the connection under it;
     * returns {@code false} without running it when a stop came first (what was read stays for the next start).
     */
    public boolean inHand(Runnable work) {
        synchronized (lock) {
            if (!running) {
                return false;
            }
            inHand = true;
        }
        try {
            work.run();
            return true;
        } finally {
            synchronized (lock) {
                inHand = false;
            }
        }
    }

    /** Asks for a new set-up before the next turn (as after a failure, without one). */
    public void setUpAgain() {
        setUpNeeded = true;
    }

    /** Waits {@code duration}, or less when stopped meanwhile. */
    public void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        synchronized (lock) {
            long remaining;
            while (running && (remaining = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    log.warn("{} interrupted, stopping", name);
                    running = false;
                    return;
                }
            }
        }
    }

    private void run() {
        long backoffMs = 0;
        try {
            while (isRunning()) {
                try {
                    if (setUpNeeded) {
                        setUp();
                    }
                    loop.turn(connection);
                    if (backoffMs > 0) {
                        log.info("{} recovered", name);
                    }
                    backoffMs = 0;
                } catch (RuntimeException e) {
                    if (!isRunning()) {
                        break;
                    }
                    backoffMs = backoffMs == 0 ? FIRST_BACKOFF_MS : Math.min(2 * backoffMs, MAX_BACKOFF_MS);
                    setUpNeeded = true;
                    log.warn("{} failed, retrying in {} ms; unacknowledged entries stay pending: {}", name, backoffMs,
                            e.toString());
                    pause(Duration.ofMillis(backoffMs));
                }
            }
        } finally {
            try {
                loop.finish();
            } catch (RuntimeException e) {
                log.warn("{}: stopping with work unfinished: {}", name, e.toString());
            }
            closeConnection();
            Runnable callback;
            synchronized (lock) {
                running = false;
                finished = true;
                callback = afterStop;
                afterStop = null;
                lock.notifyAll();
            }
            log.info("{} stopped", name);
            if (callback != null) {
                callback.run();
            }
        }
    }

    private void setUp() {
        DedicatedConnection c;
        synchronized (lock) {
            c = connection;
        }
        if (c == null) {
            c = DedicatedConnection.open(client.get(), () -> setUpNeeded = true);
            if (commandTimeout != null) {
                c.setTimeout(commandTimeout);
            }
            synchronized (lock) {
                connection = c;
            }
        }
        loop.setUp(c);
        setUpNeeded = false;
    }

    private void closeConnection() {
        DedicatedConnection c;
        synchronized (lock) {
            c = connection;
            connection = null;
        }
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                log.debug("{}: closing its connection failed: {}", name, e.toString());
            }
        }
    }
}
