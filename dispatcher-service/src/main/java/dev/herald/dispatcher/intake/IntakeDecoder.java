package dev.herald.dispatcher.intake;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads an intake stream entry back into the {@link IntakeMessage}s push-api wrote, or says why it cannot. */
@Component
final class IntakeDecoder {

    private static final TypeReference<List<IntakeMessage>> MESSAGES = new TypeReference<>() {
    };

    private final JsonMapper json;

    IntakeDecoder(JsonMapper json) {
        this.json = json;
    }

    /**
     * The messages of one entry, in request order: the array in {@link RedisKeys#INTAKE_MESSAGES_FIELD}, or
     * the single message in {@link RedisKeys#STREAM_FIELD} (entries written before requests became one entry).
     *
     * @throws MalformedEntryException when the entry, or any message in it, is not usable: push-api writes
     *                                 only valid messages, so such an entry has another writer
     */
    List<IntakeMessage> decode(Map<String, String> entry) {
        String messages = entry == null ? null : entry.get(RedisKeys.INTAKE_MESSAGES_FIELD);
        if (messages != null) {
            List<IntakeMessage> decoded;
            try {
                decoded = json.readValue(messages, MESSAGES);
            } catch (JacksonException e) {
                throw new MalformedEntryException("not a list of intake messages: " + e.getOriginalMessage());
            }
            if (decoded == null || decoded.isEmpty()) {
                throw new MalformedEntryException("no message in field '" + RedisKeys.INTAKE_MESSAGES_FIELD + "'");
            }
            decoded.forEach(IntakeDecoder::validate);
            return decoded;
        }
        String document = entry == null ? null : entry.get(RedisKeys.STREAM_FIELD);
        if (document == null) {
            throw new MalformedEntryException("no field '" + RedisKeys.INTAKE_MESSAGES_FIELD + "' or '"
                    + RedisKeys.STREAM_FIELD + "'");
        }
        IntakeMessage message;
        try {
            message = json.readValue(document, IntakeMessage.class);
        } catch (JacksonException e) {
            throw new MalformedEntryException("not an intake message: " + e.getOriginalMessage());
        }
        validate(message);
        return List.of(message);
    }

    private static void validate(IntakeMessage message) {
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
    }

    static final class MalformedEntryException extends RuntimeException {
        MalformedEntryException(String reason) {
            super(reason);
        }
    }
}
