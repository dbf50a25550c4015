package dev.herald.dispatcher.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class IntakeDecoderTest {

    final JsonMapper json = JsonMapper.builder().build();
    final IntakeDecoder decoder = new IntakeDecoder(json);

    @Test
    void readsBackWhatPushApiWrites() {
        IntakeMessage written = new IntakeMessage("01HZZZZZZZZZZZZZZZZZZZZZZZ", "demo", TargetKind.DEVICES,
                List.of("d1", "d2"), new byte[] {0, 1, (byte) 0xff}, true, 10, 20);

        List<IntakeMessage> read = decoder.decode(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(written)));

        assertThat(read).singleElement().usingRecursiveComparison().isEqualTo(written);
    }

    @Test
    void readsBackTheMessagesOfOneRequestInOrder() {
        List<IntakeMessage> written = List.of(
                new IntakeMessage("01HZZZZZZZZZZZZZZZZZZZZZZ1", "demo", TargetKind.DEVICE, List.of("d1"),
                        new byte[] {1}, true, 10, 20),
                new IntakeMessage("01HZZZZZZZZZZZZZZZZZZZZZZ2", "demo", TargetKind.BROADCAST, List.of(),
                        new byte[] {2}, false, 10, 30));

        List<IntakeMessage> read = decoder.decode(Map.of(RedisKeys.INTAKE_MESSAGES_FIELD, json.writeValueAsString(written)));

        assertThat(read).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(written);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "[]",
            "{\"id\":\"m\"}",
            "[{\"id\":\"m\",\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[\"d\"],\"payload\":\"aGk=\",\"expiresAt\":5},"
                    + "{\"id\":\"n\",\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[],\"payload\":\"aGk=\",\"expiresAt\":5}]"})
    void refusesARequestEntryWithAnyUnusableMessage(String document) {
        assertThatThrownBy(() -> decoder.decode(Map.of(RedisKeys.INTAKE_MESSAGES_FIELD, document)))
                .isInstanceOf(IntakeDecoder.MalformedEntryException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "[]",
            "{\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[\"d\"],\"payload\":\"aGk=\",\"expiresAt\":5}",
            "{\"id\":\"m\",\"appId\":\"demo\",\"kind\":\"SOMETHING\",\"devices\":[\"d\"],\"payload\":\"aGk=\",\"expiresAt\":5}",
            "{\"id\":\"m\",\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[],\"payload\":\"aGk=\",\"expiresAt\":5}",
            "{\"id\":\"m\",\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[\"d\"],\"expiresAt\":5}",
            "{\"id\":\"m\",\"appId\":\"demo\",\"kind\":\"BROADCAST\",\"payload\":\"aGk=\"}"})
    void refusesDocumentsThatAreNoUsableMessage(String document) {
        assertThatThrownBy(() -> decoder.decode(Map.of(RedisKeys.STREAM_FIELD, document)))
                .isInstanceOf(IntakeDecoder.MalformedEntryException.class);
    }

    @Test
    void refusesEntriesWithoutTheDocumentField() {
        assertThatThrownBy(() -> decoder.decode(Map.of("other", "x")))
                .isInstanceOf(IntakeDecoder.MalformedEntryException.class);
        // A pending entry deleted from the stream is read back with no fields at all.
        assertThatThrownBy(() -> decoder.decode(new HashMap<>()))
                .isInstanceOf(IntakeDecoder.MalformedEntryException.class);
        assertThatThrownBy(() -> decoder.decode(null))
                .isInstanceOf(IntakeDecoder.MalformedEntryException.class);
    }
}
