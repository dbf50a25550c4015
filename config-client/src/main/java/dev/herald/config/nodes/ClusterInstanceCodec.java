package dev.herald.config.nodes;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON of a {@link ClusterInstance} znode; members in the documented order, no class names. */
final class ClusterInstanceCodec {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ClusterInstanceCodec() {
    }

    static byte[] encode(ClusterInstance instance) {
        ObjectNode document = JSON.createObjectNode();
        document.put("service", instance.service());
        document.put("node", instance.node());
        document.put("cell", instance.cell());
        document.put("host", instance.host());
        document.put("port", instance.port());
        document.put("managementPort", instance.managementPort());
        document.put("startedAt", instance.startedAt().toString());
        return JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
    }

    /** Throws {@link IllegalArgumentException} when {@code bytes} is not an instance document. */
    static ClusterInstance decode(byte[] bytes) {
        try {
            JsonNode document = JSON.readTree(bytes);
            return new ClusterInstance(document.path("service").asString(""), document.path("node").asString(""),
                    document.path("cell").asString(""), document.path("host").asString(""),
                    document.path("port").asInt(-1), document.path("managementPort").asInt(-1),
                    Instant.parse(document.path("startedAt").asString("")));
        } catch (JacksonException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("not an instance document: " + e.getMessage(), e);
        }
    }
}
