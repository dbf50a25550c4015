package dev.herald.dispatcher.uplink;

import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.DedicatedConnection;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.stream.GroupReader;
import dev.herald.core.redis.stream.StreamConsumer;
import dev.herald.dispatcher.DispatcherProperties;
import io.lettuce.core.Consumer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers the cell's uplinks ({@code h:uplink:{cell}}, consumer group {@value RedisKeys#UPLINK_GROUP})
 * to the apps' callback URLs, with retries and a dead-letter stream per app.
 *
 * <p>One {@link StreamConsumer} thread reading through a {@link GroupReader}, a batch at a time. Each stream entry gets its first
 * attempt at once; a failed one is parked in the retry set {@code h:uplink-retry:{cell}} (member: JSON
 * {@link UplinkRetry}, score: epoch ms of the next attempt) or, when no attempt can succeed (unknown app,
 * no callback URL) or {@code max-attempts} is 1, written to {@code h:uplink-dlq:{app}}. Only then is the
 * entry acknowledged and deleted, so an uplink is never lost, at worst posted twice (receivers dedupe by
 * {@code id}). Every {@code retry-poll-interval} the worker leases the due members of the retry set (a
 * script moves their score a lease ahead, so several dispatchers of a cell never take the same member and
 * a dispatcher that dies mid-attempt leaves it to be retried once the lease runs out), attempts them, and
 * then removes, reschedules or dead-letters each. Entries are read as the intake consumer reads its own: own
 * pending entries first after any (re)start, XAUTOCLAIM of entries idle beyond {@code claim-idle}.
 */
public final class UplinkCallbackWorker extends StreamConsumer {

    /** Starts and stops with the intake consumer, before the web server and Redis go. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 199;

    private static final Logger log = LoggerFactory.getLogger(UplinkCallbackWorker.class);
    private static final Duration MAX_READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);
    private static final int CONCURRENT_CALLBACKS = 64;

    /** Returns the due members (score ≤ now) and moves their score to the end of the lease. */
    private static final String LEASE_DUE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
            for _, member in ipairs(due) do
              redis.call('ZADD', KEYS[1], 'XX', ARGV[2], member)
            end
            return due
            """;
    /** Replaces a leased member by its next attempt, unless another worker settled it meanwhile. */
    private static final String RESCHEDULE = """
            if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
              redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
              return 1
            end
            return 0
            """;

    private final AppDirectory apps;
    private final JsonMapper json;
    private final CallbackClient callbacks;
    private final RetryPolicy policy;
    private final String stream;
    private final String retrySet;
    private final int batchSize;
    private final GroupReader reader;
    private final long retryPollMs;
    private final long leaseMs;
    private final int deadLetterCap;
    private final Duration batchTimeout;

    private final Counter delivered;
    private final Counter failedAttempts;
    private final Timer callbackDuration;
    private final Counter deadLettered;
    private final Counter malformed;

    // the worker thread's
    private long nextRetryPollAt;

    UplinkCallbackWorker(LettuceConnectionFactory connectionFactory, AppDirectory apps, JsonMapper json,
                         CallbackClient callbacks, DispatcherProperties properties, MeterRegistry meters) {
        super("herald-uplink-callbacks", connectionFactory::getRequiredNativeClient, null, PHASE,
                properties.uplink().requestTimeout().multipliedBy(2).plusSeconds(10));
        DispatcherProperties.Uplink uplink = properties.uplink();
        this.apps = apps;
        this.json = json;
        this.callbacks = callbacks;
        this.policy = new RetryPolicy(uplink);
        this.stream = RedisKeys.uplink(properties.cell());
        this.retrySet = RedisKeys.uplinkRetry(properties.cell());
        this.batchSize = properties.batchSize();
        this.reader = new GroupReader(stream, Consumer.from(RedisKeys.UPLINK_GROUP, properties.consumerName()),
                properties.claimIdle(), batchSize);
        this.retryPollMs = uplink.retryPollInterval().toMillis();
        // A batch of attempts ends within the safety timeout of one callback; the lease outlasts it.
        this.batchTimeout = uplink.requestTimeout().multipliedBy(2).plusSeconds(5);
        this.leaseMs = batchTimeout.toMillis() + 10_000;
        this.deadLetterCap = uplink.deadLetterCap();
        this.delivered = callbacks(meters, "delivered");
        this.failedAttempts = callbacks(meters, "failed");
        this.callbackDuration = Timer.builder("herald.dispatcher.uplink.callback.duration")
                .description("Time of one callback attempt, request to answer (or failure)").register(meters);
        this.deadLettered = Counter.builder("herald.dispatcher.uplink.dead.lettered")
                .description("Uplinks moved to their app's dead-letter stream").register(meters);
        this.malformed = Counter.builder("herald.dispatcher.uplink.malformed")
                .description("Uplink stream entries or retry members that held no valid uplink; dropped").register(meters);
    }

    private static Counter callbacks(MeterRegistry meters, String result) {
        return Counter.builder("herald.dispatcher.uplink.callbacks")
                .description("Callback attempts: delivered (2xx) or failed (another status, connection error, timeout)")
                .tag("result", result).register(meters);
    }

    @Override
    protected void starting() {
        nextRetryPollAt = 0;
        log.info("delivering uplinks of {} as {} of group {}; retries in {}", stream, reader.consumer().getName(),
                reader.consumer().getGroup(), retrySet);
    }

    @Override
    public void setUp(DedicatedConnection connection) {
        reader.setUp(connection);
    }

    /** New entries first (their first attempts), then the retries that are due; each as work in hand. */
    @Override
    public void turn(DedicatedConnection connection) {
        reader.claimAbandoned(connection);
        // Block no longer than until the next retry poll; BLOCK 0 would mean forever.
        long block = Math.max(1, Math.min(MAX_READ_BLOCK.toMillis(), nextRetryPollAt - System.currentTimeMillis()));
        List<StreamMessage<String, String>> entries = reader.read(connection, batchSize, Duration.ofMillis(block));
        if (!entries.isEmpty()) {
            inHand(() -> processEntries(connection, entries));
        }
        if (System.currentTimeMillis() >= nextRetryPollAt && inHand(() -> pollRetries(connection))) {
            nextRetryPollAt = System.currentTimeMillis() + retryPollMs;
        }
    }

    /** First attempts for new entries; failures are parked or dead-lettered before the entries are acknowledged. */
    private void processEntries(DedicatedConnection connection, List<StreamMessage<String, String>> entries) {
        List<UplinkMessage> messages = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            decode(entry.getBody().get(RedisKeys.STREAM_FIELD)).ifPresentOrElse(messages::add, () -> {
                malformed.increment();
                log.warn("dropping malformed uplink entry {} of {}", entry.getId(), stream);
            });
        }
        List<CallbackResult> results = attempt(messages);
        long now = System.currentTimeMillis();
        List<RedisFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            UplinkMessage message = messages.get(i);
            CallbackResult result = results.get(i);
            if (result.delivered()) {
                continue;
            }
            RetryPolicy.Decision decision = policy.afterFailure(message, 0, result, now);
            if (decision.retry() != null) {
                writes.add(connection.async().zadd(retrySet, (double) decision.retryAt(), json.writeValueAsString(decision.retry())));
            } else {
                writes.add(deadLetter(connection, decision.deadLetter()));
            }
        }
        await(writes);
        String[] ids = entries.stream().map(StreamMessage::getId).toArray(String[]::new);
        await(List.of(connection.async().xack(stream, RedisKeys.UPLINK_GROUP, ids), connection.async().xdel(stream, ids)));
    }

    /** Attempts the due members of the retry set, then settles each: removed, rescheduled or dead-lettered. */
    private void pollRetries(DedicatedConnection connection) {
        long now = System.currentTimeMillis();
        List<String> due = connection.sync().eval(LEASE_DUE, ScriptOutputType.MULTI, new String[] {retrySet},
                Long.toString(now), Long.toString(now + leaseMs), Integer.toString(batchSize));
        if (due == null || due.isEmpty()) {
            return;
        }
        List<String> members = new ArrayList<>(due.size());
        List<UplinkRetry> retries = new ArrayList<>(due.size());
        List<RedisFuture<?>> drops = new ArrayList<>();
        for (String member : due) {
            UplinkRetry retry = decodeRetry(member);
            if (retry == null) {
                malformed.increment();
                log.warn("dropping malformed member of {}: {}", retrySet, member);
                drops.add(connection.async().zrem(retrySet, member));
            } else {
                members.add(member);
                retries.add(retry);
            }
        }
        await(drops);
        List<CallbackResult> results = attempt(retries.stream().map(UplinkRetry::message).toList());
        long settledAt = System.currentTimeMillis();
        List<RedisFuture<?>> writes = new ArrayList<>();
        List<String> deadLettered = new ArrayList<>();
        for (int i = 0; i < retries.size(); i++) {
            UplinkRetry retry = retries.get(i);
            CallbackResult result = results.get(i);
            if (result.delivered()) {
                writes.add(connection.async().zrem(retrySet, members.get(i)));
                continue;
            }
            RetryPolicy.Decision decision = policy.afterFailure(retry.message(), retry.attempts(), result, settledAt);
            if (decision.retry() != null) {
                writes.add(connection.async().eval(RESCHEDULE, ScriptOutputType.INTEGER, new String[] {retrySet},
                        members.get(i), json.writeValueAsString(decision.retry()), Long.toString(decision.retryAt())));
            } else {
                writes.add(deadLetter(connection, decision.deadLetter()));
                deadLettered.add(members.get(i));
            }
        }
        await(writes);
        // Only once the dead letters are written (another slot in a cluster) do they leave the retry set.
        if (!deadLettered.isEmpty()) {
            await(List.of(connection.async().zrem(retrySet, deadLettered.toArray(String[]::new))));
        }
    }

    /** One attempt per message, concurrently; results in the order of {@code messages}. */
    private List<CallbackResult> attempt(List<UplinkMessage> messages) {
        if (messages.isEmpty()) {
            return List.of();
        }
        List<CallbackResult> results = Flux.fromIterable(messages)
                .flatMapSequential(this::attempt, CONCURRENT_CALLBACKS)
                .collectList()
                .block(batchTimeout);
        if (results == null || results.size() != messages.size()) {
            throw new IllegalStateException("callback attempts returned " + results + " for " + messages.size() + " uplinks");
        }
        for (CallbackResult result : results) {
            if (result.delivered()) {
                delivered.increment();
            } else if (result.attempted()) {
                failedAttempts.increment();
            }
        }
        return results;
    }

    private Mono<CallbackResult> attempt(UplinkMessage message) {
        Optional<App> app = apps.find(message.appId());
        if (app.isEmpty()) {
            return Mono.just(CallbackResult.impossible("unknown app " + message.appId()));
        }
        if (app.get().callbackUrl() == null) {
            return Mono.just(CallbackResult.impossible("app " + message.appId() + " has no callbackUrl"));
        }
        Timer.Sample sample = Timer.start();
        return callbacks.post(app.get(), message).doOnNext(result -> {
            sample.stop(callbackDuration);
            if (!result.delivered()) {
                log.debug("uplink {} of app {} to {} failed: {}", message.id(), message.appId(), app.get().callbackUrl(),
                        result.error());
            }
        });
    }

    private RedisFuture<String> deadLetter(DedicatedConnection connection, UplinkDeadLetter letter) {
        deadLettered.increment();
        log.info("uplink {} of app {} dead-lettered after {} attempts: {}", letter.message().id(),
                letter.message().appId(), letter.attempts(), letter.lastError());
        return connection.async().xadd(RedisKeys.uplinkDeadLetters(letter.message().appId()),
                XAddArgs.Builder.maxlen(deadLetterCap),
                Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(letter)));
    }

    private Optional<UplinkMessage> decode(String document) {
        if (document == null) {
            return Optional.empty();
        }
        try {
            UplinkMessage message = json.readValue(document, UplinkMessage.class);
            return valid(message) ? Optional.of(message) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private UplinkRetry decodeRetry(String member) {
        try {
            UplinkRetry retry = json.readValue(member, UplinkRetry.class);
            return retry != null && valid(retry.message()) ? retry : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static boolean valid(UplinkMessage message) {
        return message != null && message.id() != null && message.appId() != null && message.deviceId() != null;
    }

    private static void await(List<? extends RedisFuture<?>> futures) {
        if (futures.isEmpty()) {
            return;
        }
        if (!LettuceFutures.awaitAll(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, futures.toArray(new RedisFuture<?>[0]))) {
            throw new IllegalStateException("Redis did not answer " + futures.size() + " uplink writes within " + WRITE_TIMEOUT);
        }
        for (RedisFuture<?> future : futures) {
            if (future.getError() != null) {
                throw new IllegalStateException("uplink write failed: " + future.getError());
            }
        }
    }
}
