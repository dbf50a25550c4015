package dev.herald.dispatcher.intake;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Reads an intake stream entry back into the {@link IntakeMessage} push-api wrote, or says why it cannot. */
@Component
final class IntakeDecoder {

    private final JsonMapper json;

    IntakeDecoder(JsonMapper json) {
        this.json = json;
    }

    /** @throws MalformedEntryException when the entry holds no usable message */
    IntakeMessage decode(Map<String, String> entry) {
        String document = entry == null ? null : entry.get(RedisKeys.STREAM_FIELD);
        if (document == null) {
            throw new MalformedEntryException("no field '" + RedisKeys.STREAM_FIELD + "'");
        }
        IntakeMessage message;
        try {
            message = json.readValue(document, IntakeMessage.class);
        } catch (JacksonException e) {
            throw new MalformedEntryException("not an intake message: " + e.getOriginalMessage());
        }
        if (message == null || message.id() == null || message.appId() == null || message.kind() == null
                || message.payload() == null) {
            throw new MalformedEntryException("id, appId, kind and payload are required");
        }
        if (message.expiresAt() <= 0) {
            throw new MalformedEntryException("expiresAt is required");
        }
        if (message.kind() != TargetKind.BROADCAST && message.devices().isEmpty()) {
            throw new MalformedEntryException(message.kind() + " message " + message.id() + " names no device");
        }
        return message;
    }

    static final class MalformedEntryException extends RuntimeException {
        MalformedEntryException(String reason) {
            super(reason);
        }
    }
}
