package dev.herald.api.message;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import java.time.Instant;
import java.util.Map;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Reads the status hash of a message, for its own app only. */
@Component
public final class MessageStatusReader {

    private final ReactiveStringRedisTemplate redis;

    public MessageStatusReader(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * The status of message {@code id} of app {@code appId}; empty when there is none, the id is malformed,
     * or the message belongs to another app (which must look exactly like "none").
     */
    public Mono<MessageStatusView> find(String appId, String id) {
        if (!MessageId.isValid(id)) {
            return Mono.empty();
        }
        return redis.<String, String>opsForHash().entries(RedisKeys.status(id))
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .filter(fields -> appId.equals(fields.get(MessageStatus.APP)))
                .map(fields -> view(id, appId, fields));
    }

    private static MessageStatusView view(String id, String appId, Map<String, String> fields) {
        return new MessageStatusView(
                id,
                appId,
                kind(fields.get(MessageStatus.KIND)),
                !"false".equals(fields.get(MessageStatus.OFFLINE)),
                fields.getOrDefault(MessageStatus.STATE, MessageStatus.STATE_ACCEPTED),
                Instant.ofEpochMilli(number(fields, MessageStatus.CREATED_AT)),
                Instant.ofEpochMilli(number(fields, MessageStatus.EXPIRES_AT)),
                number(fields, MessageStatus.TARGETS),
                number(fields, MessageStatus.DELIVERED),
                number(fields, MessageStatus.STORED),
                number(fields, MessageStatus.EXPIRED),
                number(fields, MessageStatus.DROPPED));
    }

    private static TargetKind kind(String value) {
        try {
            return value == null ? null : TargetKind.valueOf(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Counters are written by several services with HINCRBY; a missing one has simply not moved yet. */
    private static long number(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
