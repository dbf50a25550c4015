package dev.herald.dispatcher.intake;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.core.redis.DedicatedConnection;
import dev.herald.core.redis.stream.GroupReader;
import dev.herald.core.redis.stream.StreamConsumer;
import dev.herald.dispatcher.DispatcherProperties;
import dev.herald.dispatcher.fanout.BatchFanout;
import dev.herald.dispatcher.fanout.WriteTurn;
import dev.herald.dispatcher.route.RouteTable;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Reads the cell's intake stream as consumer {@code consumer-name} of group {@code dispatchers} and
 * hands each batch to {@link BatchFanout}; entries are acknowledged and deleted only after their batch is
 * fully dispatched, so an entry is never lost, only possibly dispatched twice (clients drop duplicates
 * by message id).
 *
 * <p>One thread reads, on a {@link DedicatedConnection}; up to {@code batches-in-flight} batches are
 * dispatched at once, since a batch spends most of its time waiting (the saver's fsync'd store, the route
 * look-ups, the writes). Their delivery writes are issued in the order the batches were read
 * ({@link WriteTurn}), so a device's messages reach its node in intake order. A batch holding an
 * offline-flagged broadcast is dispatched alone, after every batch before it and before any after it: the
 * saver numbers broadcasts as they are stored, and devices' cursors assume the numbers arrive in order.
 *
 * <p>The loop is a {@link StreamConsumer} reading through a {@link GroupReader}: whenever the consumer (re)starts,
 * reconnects or a batch fails, it waits for the batches in flight, then re-reads its own pending entries (ID
 * {@code 0}) until there are none, one batch at a time, then reads new ones ({@code >}, BLOCK 1 s); entries another
 * consumer has left idle longer than {@code claim-idle} are claimed and re-read the same way. Acknowledgements go
 * through the fan-out pipeline, since the reading connection is blocked in its read most of the time.
 */
@Component
public final class IntakeConsumer extends StreamConsumer {

    /** Starts after and stops before the route table; stops before the web server and Redis go. */
    public static final int PHASE = RouteTable.PHASE + 1;

    private static final Logger log = LoggerFactory.getLogger(IntakeConsumer.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    /** Safety net only: the saver timeout and Lettuce's command timeout end a batch well before. */
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(2);

    private final RedisPipeline pipeline;
    private final BatchFanout fanout;
    private final IntakeDecoder decoder;
    private final String stream;
    private final int batchSize;
    private final int batchesInFlight;
    /** One permit per batch in flight. */
    private final Semaphore inFlight;
    /** The first failure of a batch dispatched in the background, for the reading thread to act on. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final GroupReader reader;

    private final Map<TargetKind, Counter> dispatched = new EnumMap<>(TargetKind.class);
    private final Counter malformedEntries;
    private final Counter batches;
    private final Counter failedBatches;
    private final Timer batchDuration;

    // the worker thread's (and start()'s, before the thread runs)
    private WriteTurn nextTurn = WriteTurn.first();
    /** Entries per read: see {@link #adaptReadCount}. */
    private int readCount;

    IntakeConsumer(LettuceConnectionFactory connectionFactory, RedisPipeline pipeline, BatchFanout fanout,
                   IntakeDecoder decoder, DispatcherProperties properties, MeterRegistry meters) {
        super("herald-intake-consumer", connectionFactory::getRequiredNativeClient, null, PHASE, BATCH_TIMEOUT);
        this.pipeline = pipeline;
        this.fanout = fanout;
        this.decoder = decoder;
        this.stream = RedisKeys.intake(properties.cell());
        this.batchSize = properties.batchSize();
        this.readCount = batchSize;
        this.batchesInFlight = properties.batchesInFlight();
        this.inFlight = new Semaphore(batchesInFlight);
        this.reader = new GroupReader(stream, Consumer.from(RedisKeys.DISPATCHER_GROUP, properties.consumerName()),
                properties.claimIdle(), batchSize);
        for (TargetKind kind : TargetKind.values()) {
            dispatched.put(kind, Counter.builder("herald.dispatcher.messages.dispatched")
                    .description("Intake messages dispatched and acknowledged, by target kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(meters));
        }
        this.malformedEntries = Counter.builder("herald.dispatcher.intake.malformed")
                .description("Intake entries that held no valid message; acknowledged and deleted").register(meters);
        this.batches = Counter.builder("herald.dispatcher.batches")
                .description("Intake batches: ok (dispatched and acknowledged) or failed (pending for a retry)")
                .tag("result", "ok").register(meters);
        this.failedBatches = Counter.builder("herald.dispatcher.batches")
                .description("Intake batches: ok (dispatched and acknowledged) or failed (pending for a retry)")
                .tag("result", "failed").register(meters);
        this.batchDuration = Timer.builder("herald.dispatcher.batch.duration")
                .description("Time to dispatch one intake batch, read to acknowledgement").register(meters);
    }

    /** A restarted consumer starts over: own pending entries first, claim at once, writes in a new order. */
    @Override
    protected void starting() {
        nextTurn = WriteTurn.first();
        failure.set(null);
        log.info("consuming {} as {} of group {}", stream, reader.consumer().getName(), reader.consumer().getGroup());
    }

    @Override
    public void setUp(DedicatedConnection connection) {
        // Re-reading from ID 0 lists the entries of batches still in flight too: let them finish first.
        awaitBatchesInFlight();
        reader.setUp(connection);
    }

    @Override
    public void finish() {
        awaitBatchesInFlight();
    }

    @Override
    public void turn(DedicatedConnection connection) {
        rethrowBatchFailure();
        reader.claimAbandoned(connection);
        if (reader.readingOwnPending()) {
            awaitBatchesInFlight();
        }
        List<StreamMessage<String, String>> entries = reader.read(connection, readCount, READ_BLOCK);
        if (!entries.isEmpty()) {
            inHand(() -> process(entries));
        }
    }

    /**
     * Dispatches one batch: in the background when it may overlap others, else alone (and waited for). A
     * background failure is left in {@link #failure} for the loop; a failure of a batch dispatched alone is
     * thrown.
     */
    private void process(List<StreamMessage<String, String>> entries) {
        Timer.Sample sample = Timer.start();
        List<IntakeMessage> messages = new ArrayList<>(entries.size());
        int malformed = 0;
        boolean offlineBroadcast = false;
        for (StreamMessage<String, String> entry : entries) {
            try {
                for (IntakeMessage message : decoder.decode(entry.getBody())) {
                    messages.add(message);
                    offlineBroadcast |= message.kind() == TargetKind.BROADCAST && message.offline();
                }
            } catch (IntakeDecoder.MalformedEntryException e) {
                malformed++;
                log.warn("dropping malformed intake entry {}: {}", entry.getId(), e.getMessage());
            }
        }
        adaptReadCount(entries.size(), messages.size());
        boolean alone = reader.readingOwnPending() || offlineBroadcast || batchesInFlight == 1;
        if (alone) {
            awaitBatchesInFlight();
        }
        acquireBatchPermit();
        WriteTurn turn = nextTurn;
        nextTurn = turn.next();
        int malformedEntries = malformed;
        dispatch(messages, turn)
                .thenCompose(dispatched -> acknowledge(entries))
                .orTimeout(BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        failedBatches.increment();
                        failure.compareAndSet(null, error);
                    } else {
                        batches.increment();
                        for (IntakeMessage message : messages) {
                            dispatched.get(message.kind()).increment();
                        }
                        this.malformedEntries.increment(malformedEntries);
                        sample.stop(batchDuration);
                        log.debug("dispatched {} intake messages ({} malformed)", messages.size(), malformedEntries);
                    }
                    // Last: whoever waits for the permit then sees this batch's failure.
                    inFlight.release();
                });
        if (alone) {
            awaitBatchesInFlight();
            rethrowBatchFailure();
        }
    }

    /** Throws the failure a batch dispatched in the background left, if any, so the loop starts over. */
    private void rethrowBatchFailure() {
        Throwable failed = failure.getAndSet(null);
        if (failed != null) {
            throw new IllegalStateException("an intake batch failed: " + failed, failed);
        }
    }

    /**
     * An entry holds one send request, from one message to a batch of hundreds: the next read asks for as
     * many entries as make about {@code batch-size} messages, judging by the entries just read.
     */
    private void adaptReadCount(int entries, int messages) {
        if (entries == 0) {
            return;
        }
        double perEntry = Math.max(1.0, (double) messages / entries);
        readCount = (int) Math.max(1, Math.min(batchSize, Math.round(batchSize / perEntry)));
    }

    private CompletableFuture<Void> dispatch(List<IntakeMessage> messages, WriteTurn turn) {
        if (messages.isEmpty()) {
            turn.pass();
            return CompletableFuture.completedFuture(null);
        }
        return fanout.dispatch(messages, turn).toFuture();
    }

    /** XACK and XDEL together, in one round: the entries are done and need not stay in the stream. */
    private CompletableFuture<Void> acknowledge(List<StreamMessage<String, String>> entries) {
        String[] ids = entries.stream().map(StreamMessage::getId).toArray(String[]::new);
        return pipeline.submit(commands -> RedisPipeline.allOf(
                commands.xack(stream, RedisKeys.DISPATCHER_GROUP, ids).toCompletableFuture(),
                commands.xdel(stream, ids).toCompletableFuture()));
    }

    private void acquireBatchPermit() {
        acquirePermits(1);
    }

    /** Waits until no batch is in flight (each is bounded by {@link #BATCH_TIMEOUT}). */
    private void awaitBatchesInFlight() {
        acquirePermits(batchesInFlight);
        inFlight.release(batchesInFlight);
    }

    private void acquirePermits(int permits) {
        try {
            if (!inFlight.tryAcquire(permits, BATCH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(permits + " intake batch permit(s) not free after " + BATCH_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for intake batches in flight", e);
        }
    }
}
