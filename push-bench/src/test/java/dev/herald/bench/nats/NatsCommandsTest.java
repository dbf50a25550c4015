package dev.herald.bench.nats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NatsCommandsTest {

    @Test
    void connectCarriesTheOptionsInTheProtocolsNames() {
        assertThat(NatsCommands.connect("cmp-7")).isEqualTo("CONNECT {\"verbose\":false,\"pedantic\":false,"
                + "\"tls_required\":false,\"name\":\"cmp-7\",\"lang\":\"java\",\"version\":\"push-bench\","
                + "\"protocol\":1,\"headers\":false}\r\n");
    }

    @Test
    void aNameThatNeedsEscapingStaysValidJson() {
        assertThat(NatsCommands.connect("a\"b")).contains("\"name\":\"a\\\"b\"");
    }
}
