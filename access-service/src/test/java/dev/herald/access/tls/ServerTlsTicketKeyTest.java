package dev.herald.access.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import org.junit.jupiter.api.Test;

/** Session-ticket keys: the same secret gives every node the same key, so a ticket from one resumes on another. */
class ServerTlsTicketKeyTest {

    @Test
    void nodesWithTheSameSecretShareTheirTicketKey() {
        OpenSslSessionTicketKey one = ServerTls.ticketKey("shared secret");
        OpenSslSessionTicketKey other = ServerTls.ticketKey("shared secret");

        assertThat(other.name()).isEqualTo(one.name());
        assertThat(other.hmacKey()).isEqualTo(one.hmacKey());
        assertThat(other.aesKey()).isEqualTo(one.aesKey());
        assertThat(one.name()).hasSize(16).isNotEqualTo(one.hmacKey()).isNotEqualTo(one.aesKey());
    }

    @Test
    void anotherSecretOrNoneGivesAnotherKey() {
        OpenSslSessionTicketKey shared = ServerTls.ticketKey("shared secret");

        assertThat(ServerTls.ticketKey("other secret").aesKey()).isNotEqualTo(shared.aesKey());
        assertThat(ServerTls.ticketKey("").aesKey()).isNotEqualTo(ServerTls.ticketKey("").aesKey());
    }
}
