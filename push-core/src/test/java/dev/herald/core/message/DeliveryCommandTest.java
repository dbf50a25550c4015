package dev.herald.core.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The delivery stream's JSON across versions: a command from a dispatcher that did not write {@code offline}. */
class DeliveryCommandTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theOfflineFlagRoundTripsAndReadsFalseWhenAbsent() {
        DeliveryCommand stored = new DeliveryCommand("m1", "demo", false, 0, List.of("d1"), new byte[] {1}, 9, true);
        assertThat(json.readValue(json.writeValueAsString(stored), DeliveryCommand.class).offline()).isTrue();
        assertThat(new DeliveryCommand("m2", "demo", false, 0, List.of(), null, 9, null).offline()).isFalse();

        DeliveryCommand older = json.readValue("""
                {"messageId":"m1","appId":"demo","broadcast":false,"broadcastSeq":0,"devices":["d1"],\
                "payload":"AQ==","expiresAt":9}""", DeliveryCommand.class);

        assertThat(older.offline()).isFalse();
        assertThat(older.devices()).containsExactly("d1");
    }

    /** What an access node that does not know the field yet does with a newer dispatcher's command. */
    @Test
    void aReaderThatDoesNotKnowTheFlagIgnoresIt() {
        record OlderCommand(String messageId, String appId, boolean broadcast, long broadcastSeq, List<String> devices,
                            byte[] payload, long expiresAt) {
        }
        String newer = json.writeValueAsString(new DeliveryCommand("m1", "demo", false, 0, List.of("d1"), new byte[] {1}, 9, true));

        assertThat(json.readValue(newer, OlderCommand.class).devices()).containsExactly("d1");
    }

    @Test
    void theShortConstructorCallsALoggedBroadcastStoredAndEverythingElseOnlineOnly() {
        assertThat(new DeliveryCommand("b1", "demo", true, 5, List.of(), new byte[0], 9).offline()).isTrue();
        assertThat(new DeliveryCommand("b2", "demo", true, 0, List.of(), new byte[0], 9).offline()).isFalse();
        assertThat(new DeliveryCommand("m1", "demo", false, 0, List.of("d1"), new byte[0], 9).offline()).isFalse();
    }
}
