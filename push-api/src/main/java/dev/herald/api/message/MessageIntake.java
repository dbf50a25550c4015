package dev.herald.api.message;

import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.App;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.protocol.MessageId;
import dev.herald.web.problem.RejectedRequestException;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts validated messages: writes their status hashes and appends them to the intake stream of the app's
 * cell ({@code h:intake:{cell}}), where that cell's dispatchers pick them up. A request costs two commands,
 * however many messages it carries.
 */
@Component
public final class MessageIntake {

    /** How long an Idempotency-Key keeps answering with its message id. */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(MessageIntake.class);

    /**
     * {@code SET key claim NX EX window}, answering the claim already stored when the key is taken. One script
     * instead of SET NX then GET, so a replay costs one round trip and cannot fall between a key's expiry
     * and the GET. A claim is {@code <fingerprint> <ids>}: the request's {@link RequestFingerprint}, then the
     * message id (or the batch's comma-separated ids).
     */
    private static final RedisScript<String> CLAIM_IDEMPOTENCY_KEY = RedisScript.of("""
            local existing = redis.call('GET', KEYS[1])
            if existing then return existing end
            redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
            return ARGV[1]
            """, String.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisPipeline pipeline;
    private final JsonMapper json;
    private final Map<TargetKind, Counter> accepted = new EnumMap<>(TargetKind.class);

    public MessageIntake(ReactiveStringRedisTemplate redis, RedisPipeline pipeline, JsonMapper json,
                         MeterRegistry meters) {
        this.redis = redis;
        this.pipeline = pipeline;
        this.json = json;
        for (TargetKind kind : TargetKind.values()) {
            accepted.put(kind, Counter.builder("herald.api.messages.accepted")
                    .description("Messages accepted and appended to the intake stream, by target kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(meters));
        }
    }

    /** Outcome of a send: the message id, and whether an earlier send with the same key already made it. */
    public record Acceptance(String id, boolean replayed) {
    }

    /**
     * Accepts {@code message} of {@code app}, as the app stood when its request was authenticated. A key
     * already used with a different message fails with {@code IDEMPOTENCY_KEY_REUSED}.
     */
    public Mono<Acceptance> accept(App app, OutgoingMessage message, String idempotencyKey) {
        String id = MessageId.batch(1)[0].toString();
        if (idempotencyKey == null) {
            return enqueue(List.of(id), app, List.of(message)).thenReturn(new Acceptance(id, false));
        }
        String key = RedisKeys.idempotency(app.id(), idempotencyKey);
        String claim = RequestFingerprint.of(message) + " " + id;
        return claim(key, claim, idempotencyKey)
                .flatMap(claimedIds -> {
                    if (!claimedIds.equals(id)) {
                        return Mono.just(new Acceptance(claimedIds, true));
                    }
                    // Release the key when the message was not enqueued, so a retry is not answered with the
                    // id of a message that does not exist. The price: if Redis applied the XADD but the reply
                    // was lost, the retry sends a second copy (at least once, never silently dropped).
                    return enqueue(List.of(id), app, List.of(message))
                            .onErrorResume(e -> redis.delete(key)
                                    .onErrorResume(ignored -> Mono.empty())
                                    .then(Mono.error(e)))
                            .thenReturn(new Acceptance(id, false));
                });
    }

    /** Outcome of a batch: the message ids in request order, and whether an earlier batch with the same key made them. */
    public record BatchAcceptance(List<String> ids, boolean replayed) {
    }

    /**
     * Accepts every message of a batch in one pipelined round of two commands (see {@link #enqueue}). With an Idempotency-Key the whole batch is one idempotent unit: a
     * replay answers with the first batch's ids; the key with a different batch fails with
     * {@code IDEMPOTENCY_KEY_REUSED}.
     */
    public Mono<BatchAcceptance> acceptBatch(App app, List<OutgoingMessage> messages, String idempotencyKey) {
        List<String> ids = new ArrayList<>(messages.size());
        for (MessageId id : MessageId.batch(messages.size())) {
            ids.add(id.toString());
        }
        Mono<Void> enqueued = enqueue(ids, app, messages);
        if (idempotencyKey == null) {
            return enqueued.thenReturn(new BatchAcceptance(ids, false));
        }
        String key = RedisKeys.idempotentBatch(app.id(), idempotencyKey);
        String joined = String.join(",", ids);
        return claim(key, RequestFingerprint.of(messages) + " " + joined, idempotencyKey)
                .flatMap(claimedIds -> {
                    if (!claimedIds.equals(joined)) {
                        return Mono.just(new BatchAcceptance(List.of(claimedIds.split(",")), true));
                    }
                    return enqueued
                            .onErrorResume(e -> redis.delete(key)
                                    .onErrorResume(ignored -> Mono.empty())
                                    .then(Mono.error(e)))
                            .thenReturn(new BatchAcceptance(ids, false));
                });
    }

    /**
     * Claims the key for {@code claim}, or finds the claim of an earlier request: emits the ids of the
     * claim that holds the key. An earlier request with another fingerprint fails the send.
     */
    private Mono<String> claim(String key, String claim, String idempotencyKey) {
        return redis.execute(CLAIM_IDEMPOTENCY_KEY, List.of(key),
                        List.of(claim, String.valueOf(IDEMPOTENCY_WINDOW.toSeconds())))
                .next()
                .flatMap(held -> {
                    int space = held.indexOf(' ');
                    if (space < 0) {
                        // Written before claims carried a fingerprint (an upgrade within the key's 24 hours).
                        return Mono.just(held);
                    }
                    if (!held.regionMatches(0, claim, 0, space + 1)) {
                        return Mono.error(RejectedRequestException.of(ProblemCode.IDEMPOTENCY_KEY_REUSED,
                                "The Idempotency-Key '" + idempotencyKey + "' was already used in the last "
                                        + IDEMPOTENCY_WINDOW.toHours() + " hours with a different request body; "
                                        + "nothing was sent. Repeat the first request's body to get its answer, "
                                        + "or use a new key for a new request."));
                    }
                    return Mono.just(held.substring(space + 1));
                });
    }

    /**
     * A request's messages in one write of two commands, whatever their number: one script writes their
     * status hashes (one slot: the ids share their tag, see {@link MessageId#batch}), then one XADD appends
     * them to the intake stream of the app's cell as one entry. They go out on one connection in this order,
     * so the statuses exist before a dispatcher can read the entry.
     */
    private Mono<Void> enqueue(List<String> ids, App app, List<OutgoingMessage> messages) {
        return Mono.fromFuture(() -> pipeline.submit(commands -> {
            long createdAt = System.currentTimeMillis();
            List<IntakeMessage> intake = new ArrayList<>(messages.size());
            String[] keys = new String[messages.size()];
            String[] args = new String[AcceptedStatuses.ARGS_PER_MESSAGE * messages.size() + 1];
            args[0] = String.valueOf(MessageStatus.RETENTION_AFTER_EXPIRY_MS);
            for (int i = 0; i < messages.size(); i++) {
                OutgoingMessage message = messages.get(i);
                long expiresAt = createdAt + message.ttl().toMillis();
                intake.add(new IntakeMessage(ids.get(i), app.id(), message.kind(), message.devices(), message.payload(),
                        message.offline(), createdAt, expiresAt));
                keys[i] = RedisKeys.status(ids.get(i));
                AcceptedStatuses.arguments(args, 1 + AcceptedStatuses.ARGS_PER_MESSAGE * i, app.id(), message,
                        createdAt, expiresAt);
            }
            CompletableFuture<Long> statuses = AcceptedStatuses.SCRIPT.eval(commands, ScriptOutputType.INTEGER, keys, args);
            CompletableFuture<String> entry = commands.xadd(RedisKeys.intake(app.cell()),
                    Map.of(RedisKeys.INTAKE_MESSAGES_FIELD, json.writeValueAsString(intake))).toCompletableFuture();
            return RedisPipeline.allOf(statuses, entry).thenRun(() -> {
                for (OutgoingMessage message : messages) {
                    accepted.get(message.kind()).increment();
                }
                log.debug("accepted {} message(s) of app {} into cell {}", messages.size(), app.id(), app.cell());
            });
        }));
    }
}
