package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ProtocolTest {

    @Test
    void everyProtocolTheNodesSpeakHasACommandLineName() {
        assertThat(Protocol.parse("native")).isEqualTo(Protocol.NATIVE);
        assertThat(Protocol.parse("websocket")).isEqualTo(Protocol.WEBSOCKET);
        assertThat(Protocol.parse(" MQTT ")).isEqualTo(Protocol.MQTT);
        assertThat(Protocol.MQTT.cliName()).isEqualTo("mqtt");
        assertThatIllegalArgumentException().isThrownBy(() -> Protocol.parse("coap"))
                .withMessageContaining("available: native, websocket, mqtt");
    }
}
