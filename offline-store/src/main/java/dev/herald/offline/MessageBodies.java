package dev.herald.offline;

import dev.herald.core.offline.OfflineApi.OfflineMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored form of a body ({@code h:body:{id}}): an {@link OfflineMessage} as JSON, payload in base64.
 * Written by whoever stores ({@link OfflineWrites}), read by the saver's backlog fetch.
 */
public final class MessageBodies {

    private static final Logger log = LoggerFactory.getLogger(MessageBodies.class);

    private final JsonMapper json;

    public MessageBodies(JsonMapper json) {
        this.json = json;
    }

    public String write(OfflineMessage message) {
        return json.writeValueAsString(message);
    }

    /** An unreadable body is treated like a missing one: the message cannot be replayed. */
    public Optional<OfflineMessage> read(String messageId, String body) {
        try {
            return Optional.of(json.readValue(body, OfflineMessage.class));
        } catch (JacksonException e) {
            log.warn("Skipping unreadable body of message {}: {}", messageId, e.getOriginalMessage());
            return Optional.empty();
        }
    }
}
