package dev.herald.configserver.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class DocumentCodecTest {

    private final DocumentCodec codec = new DocumentCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void envelopeIsWrittenInTheContractsShapeAndReadBack() {
        ObjectNode value = (ObjectNode) json.readTree("{\"entries\": [\"10.0.0.0/8\"]}");
        ConfigDocument document = new ConfigDocument(NodeState.OFFLINE, Instant.parse("2026-11-25T10:00:00Z"),
                "alice", value);

        byte[] bytes = codec.encode(document);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"state\":\"offline\",\"updatedAt\":"
                + "\"2026-11-25T10:00:00Z\",\"updatedBy\":\"alice\",\"value\":{\"entries\":[\"10.0.0.0/8\"]}}");
        assertThat(codec.decode(bytes)).isEqualTo(document);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"state\":\"paused\",\"updatedAt\":\"2026-11-25T10:00:00Z\","
            + "\"updatedBy\":\"a\",\"value\":{}}", "{\"state\":\"online\",\"updatedAt\":\"yesterday\",\"updatedBy\":"
            + "\"a\",\"value\":{}}", "{\"state\":\"online\",\"updatedAt\":\"2026-11-25T10:00:00Z\",\"value\":{}}",
            "{\"state\":\"online\",\"updatedAt\":\"2026-11-25T10:00:00Z\",\"updatedBy\":\"a\",\"value\":[]}"})
    void anythingButAnEnvelopeIsMalformed(String data) {
        assertThatThrownBy(() -> codec.decode(data.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DocumentCodec.MalformedDocumentException.class);
    }
}
