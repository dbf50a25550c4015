package dev.herald.api.uplink;

import dev.herald.core.app.App;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * An app's dead-lettered uplinks: the Redis stream {@code h:uplink-dlq:{app}} the dispatcher's callback
 * worker writes (capped there), read, replayed and deleted here. The dead letter's id is its stream
 * entry id; an app only ever reads its own stream, so another app's ids are simply not found.
 */
@Component
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;

    public DeadLetters(ReactiveStringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /** Newest first. */
    public Flux<DeadLetterView> list(App app, int limit) {
        return redis.opsForStream()
                .reverseRange(RedisKeys.uplinkDeadLetters(app.id()), Range.unbounded(), Limit.limit().count(limit))
                .flatMap(record -> Mono.justOrEmpty(view(record)));
    }

    public Mono<DeadLetterView> find(App app, String id) {
        if (!ENTRY_ID.matcher(id).matches()) {
            return Mono.empty();
        }
        return redis.opsForStream()
                .range(RedisKeys.uplinkDeadLetters(app.id()), Range.closed(id, id))
                .next()
                .flatMap(record -> Mono.justOrEmpty(view(record)));
    }

    /**
     * Appends the uplink to the uplink stream of the app's cell, as new, then removes the dead letter:
     * in that order, so a failure in between leaves a duplicate rather than a loss. Empty when absent.
     */
    public Mono<UplinkMessage> replay(App app, String id) {
        if (!ENTRY_ID.matcher(id).matches()) {
            return Mono.empty();
        }
        String key = RedisKeys.uplinkDeadLetters(app.id());
        return redis.opsForStream().range(key, Range.closed(id, id)).next()
                .flatMap(record -> Mono.justOrEmpty(decode(record)))
                .flatMap(letter -> redis.opsForStream()
                        .add(StreamRecords.newRecord()
                                .in(RedisKeys.uplink(app.cell()))
                                .ofMap(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(letter.message()))))
                        .then(redis.opsForStream().delete(key, RecordId.of(id)))
                        .doOnSuccess(deleted -> log.info("replayed dead-lettered uplink {} of app {} to {}",
                                letter.message().id(), app.id(), RedisKeys.uplink(app.cell())))
                        .thenReturn(letter.message()));
    }

    /** True when it existed. */
    public Mono<Boolean> delete(App app, String id) {
        if (!ENTRY_ID.matcher(id).matches()) {
            return Mono.just(false);
        }
        return redis.opsForStream().delete(RedisKeys.uplinkDeadLetters(app.id()), RecordId.of(id))
                .map(deleted -> deleted > 0);
    }

    private Optional<DeadLetterView> view(MapRecord<String, Object, Object> record) {
        return decode(record).map(letter -> {
            UplinkMessage m = letter.message();
            return new DeadLetterView(record.getId().getValue(), m.id(), m.appId(), m.deviceId(),
                    Base64.getEncoder().encodeToString(m.payload()), Instant.ofEpochMilli(m.receivedAt()).toString(),
                    letter.attempts(), letter.lastError(), Instant.ofEpochMilli(letter.deadLetteredAt()).toString());
        });
    }

    private Optional<UplinkDeadLetter> decode(MapRecord<String, Object, Object> record) {
        Object document = record.getValue().get(RedisKeys.STREAM_FIELD);
        try {
            UplinkDeadLetter letter = document == null ? null : json.readValue(document.toString(), UplinkDeadLetter.class);
            if (letter != null && letter.message() != null) {
                return Optional.of(letter);
            }
        } catch (JacksonException e) {
            // fall through
        }
        log.warn("skipping malformed dead letter {} in {}", record.getId(), record.getStream());
        return Optional.empty();
    }
}
