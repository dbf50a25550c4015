package dev.herald.api;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.redis.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** What push-api appended to an intake stream, read back message by message (an entry holds one request's). */
public final class IntakeEntries {

    private static final TypeReference<List<IntakeMessage>> MESSAGES = new TypeReference<>() {
    };

    private IntakeEntries() {
    }

    /** Every message on {@code stream}, in stream order. */
    public static List<IntakeMessage> messages(StringRedisTemplate redis, JsonMapper json, String stream) {
        List<MapRecord<String, Object, Object>> entries = redis.opsForStream().range(stream, Range.unbounded());
        List<IntakeMessage> messages = new ArrayList<>();
        if (entries == null) {
            return messages;
        }
        for (MapRecord<String, Object, Object> entry : entries) {
            Map<Object, Object> fields = entry.getValue();
            Object batch = fields.get(RedisKeys.INTAKE_MESSAGES_FIELD);
            if (batch != null) {
                messages.addAll(json.readValue(batch.toString(), MESSAGES));
            } else if (fields.get(RedisKeys.STREAM_FIELD) != null) {
                messages.add(json.readValue(fields.get(RedisKeys.STREAM_FIELD).toString(), IntakeMessage.class));
            }
        }
        return messages;
    }
}
