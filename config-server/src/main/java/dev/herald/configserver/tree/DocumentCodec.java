package dev.herald.configserver.tree;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the envelope exactly as the contract with the services states it: a UTF-8 JSON object with
 * the members {@code state}, {@code updatedAt} (ISO-8601 UTC), {@code updatedBy} and {@code value}, in that
 * order, and nothing else. Written by hand rather than by data binding so that no mapper setting can change
 * what lands in ZooKeeper.
 */
public final class DocumentCodec {

    private final JsonMapper json = JsonMapper.builder().build();

    public byte[] encode(ConfigDocument document) {
        ObjectNode envelope = json.createObjectNode();
        envelope.put("state", document.state().text());
        envelope.put("updatedAt", document.updatedAt().truncatedTo(ChronoUnit.MILLIS).toString());
        envelope.put("updatedBy", document.updatedBy());
        envelope.set("value", document.value());
        return json.writeValueAsBytes(envelope);
    }

    /**
     * @throws MalformedDocumentException when the bytes are not an envelope (someone wrote to ZooKeeper
     *                                    directly, or the node is a folder)
     */
    public ConfigDocument decode(byte[] data) {
        if (data == null || data.length == 0) {
            throw new MalformedDocumentException("the znode holds no data");
        }
        JsonNode envelope;
        try {
            envelope = json.readTree(data);
        } catch (JacksonException e) {
            throw new MalformedDocumentException("the znode does not hold JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new MalformedDocumentException("the znode does not hold a JSON object");
        }
        NodeState state = NodeState.parse(envelope.path("state").stringValue(null))
                .orElseThrow(() -> new MalformedDocumentException("'state' is not online or offline"));
        Instant updatedAt;
        try {
            updatedAt = Instant.parse(envelope.path("updatedAt").stringValue(""));
        } catch (DateTimeParseException e) {
            throw new MalformedDocumentException("'updatedAt' is not an ISO-8601 instant");
        }
        String updatedBy = envelope.path("updatedBy").stringValue(null);
        if (updatedBy == null) {
            throw new MalformedDocumentException("'updatedBy' is missing");
        }
        JsonNode value = envelope.get("value");
        if (value == null || !value.isObject()) {
            throw new MalformedDocumentException("'value' is not a JSON object");
        }
        return new ConfigDocument(state, updatedAt, updatedBy, (ObjectNode) value);
    }

    /** The bytes of a znode are not a config document. */
    public static final class MalformedDocumentException extends RuntimeException {

        public MalformedDocumentException(String message) {
            super(message, null, false, false);
        }
    }
}
