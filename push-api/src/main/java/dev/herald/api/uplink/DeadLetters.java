package dev.herald.api.uplink;

import dev.herald.core.app.App;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.Record;
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
 * worker writes (capped there), read, replayed and deleted here. A dead letter is named by its uplink's
 * message id (the id the device got in UPLINK_ACK and the callback carried) or by its stream entry id
 * ({@code <ms>-<seq>}, the {@code id} of the list); the two shapes cannot be confused. An app only ever reads
 * its own stream, so another app's ids are simply not found.
 *
 * <p>The stream is in dead-lettering order and an uplink is dead-lettered after it was received, so a
 * message id is looked for from its own time on (less {@link #CLOCK_SKEW}, for the access node's clock
 * against Redis's), a page at a time: for a recent uplink a page or two, at worst the whole capped stream.
 */
@Component
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
    /** How far the access node that stamped a message id may be ahead of Redis's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(10);
    /** Stream entries read per XRANGE while looking for a message id. */
    static final int PAGE = 200;

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

    /** The dead letter named by {@code id}, a message id or a stream entry id. */
    public Mono<DeadLetterView> find(App app, String id) {
        return letters(app, id).concatMap(letter -> Mono.justOrEmpty(view(letter))).next();
    }

    /**
     * Appends the uplink to the uplink stream of the app's cell, as new, then removes its dead letter (every
     * one of that uplink, should a failed replay have left two): in that order, so a failure in between leaves
     * a duplicate rather than a loss. Empty when absent.
     */
    public Mono<UplinkMessage> replay(App app, String id) {
        String key = RedisKeys.uplinkDeadLetters(app.id());
        return letters(app, id).collectList()
                .filter(found -> !found.isEmpty())
                .flatMap(found -> Mono.justOrEmpty(decode(found.get(0))).flatMap(letter -> redis.opsForStream()
                        .add(StreamRecords.newRecord()
                                .in(RedisKeys.uplink(app.cell()))
                                .ofMap(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(letter.message()))))
                        .then(redis.opsForStream().delete(key, found.stream().map(Record::getId).toArray(RecordId[]::new)))
                        .doOnSuccess(deleted -> log.info("replayed dead-lettered uplink {} of app {} to {}",
                                letter.message().id(), app.id(), RedisKeys.uplink(app.cell())))
                        .thenReturn(letter.message())));
    }

    /** True when it existed. Deletes every dead letter of the uplink, should there be two. */
    public Mono<Boolean> delete(App app, String id) {
        String key = RedisKeys.uplinkDeadLetters(app.id());
        return letters(app, id).map(Record::getId).collectList()
                .flatMap(ids -> ids.isEmpty() ? Mono.just(0L)
                        : redis.opsForStream().delete(key, ids.toArray(RecordId[]::new)))
                .map(deleted -> deleted > 0);
    }

    /** The stream entries {@code id} names, oldest first: one for an entry id, those of the uplink for a message id. */
    private Flux<MapRecord<String, Object, Object>> letters(App app, String id) {
        String key = RedisKeys.uplinkDeadLetters(app.id());
        if (ENTRY_ID.matcher(id).matches()) {
            return redis.opsForStream().range(key, Range.closed(id, id));
        }
        if (!MessageId.isValid(id)) {
            return Flux.empty();
        }
        MessageId messageId = MessageId.parse(id);
        String canonical = messageId.toString();
        String from = Math.max(0, messageId.epochMillis() - CLOCK_SKEW.toMillis()) + "-0";
        return page(key, from)
                .expand(page -> page.size() < PAGE ? Mono.empty() : page(key, after(page.get(page.size() - 1))))
                .flatMapIterable(page -> page)
                .filter(record -> isOf(record, canonical));
    }

    private Mono<List<MapRecord<String, Object, Object>>> page(String key, String from) {
        return redis.opsForStream().range(key, Range.closed(from, "+"), Limit.limit().count(PAGE)).collectList();
    }

    /** The smallest entry id after the record's. */
    private static String after(MapRecord<String, Object, Object> record) {
        RecordId id = record.getId();
        return id.getTimestamp() + "-" + (id.getSequence() + 1);
    }

    private boolean isOf(MapRecord<String, Object, Object> record, String messageId) {
        Object document = record.getValue().get(RedisKeys.STREAM_FIELD);
        // The id's text in the document is a cheap test; decoding confirms it is the uplink's id.
        return document != null && document.toString().contains(messageId)
                && decode(record).map(letter -> messageId.equals(letter.message().id())).orElse(false);
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
