package dev.herald.saver.store;

import dev.herald.core.offline.OfflineApi.OfflineMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** The JSON form of a stored body ({@code h:body:{id}}): an {@link OfflineMessage}, payload in base64. */
@Component
final class MessageBodies {

    private static final Logger log = LoggerFactory.getLogger(MessageBodies.class);

    private final JsonMapper json;

    MessageBodies(JsonMapper json) {
        this.json = json;
    }

    String write(OfflineMessage message) {
        return json.writeValueAsString(message);
    }

    /** An unreadable body is treated like a missing one: the message cannot be replayed. */
    Optional<OfflineMessage> read(String messageId, String body) {
        try {
            return Optional.of(json.readValue(body, OfflineMessage.class));
        } catch (JacksonException e) {
            log.warn("Skipping unreadable body of message {}: {}", messageId, e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
