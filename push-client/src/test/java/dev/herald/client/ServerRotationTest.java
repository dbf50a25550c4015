package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerRotationTest {

    private static final InetSocketAddress A = InetSocketAddress.createUnresolved("a.example", 7070);
    private static final InetSocketAddress B = InetSocketAddress.createUnresolved("b.example", 7071);
    private static final InetSocketAddress C = InetSocketAddress.createUnresolved("c.example", 7072);

    @Test
    void startsAtTheFirstNodeAndGoesRoundInTheGivenOrder() {
        ServerRotation rotation = new ServerRotation(List.of(A, B, C));

        assertThat(rotation.current()).isEqualTo(A);
        assertThat(rotation.next()).isEqualTo(B);
        assertThat(rotation.current()).isEqualTo(B);
        assertThat(rotation.next()).isEqualTo(C);
        assertThat(rotation.next()).isEqualTo(A);
    }

    @Test
    void aSingleNodeIsTriedAgainAndAgain() {
        ServerRotation rotation = new ServerRotation(List.of(A));

        assertThat(rotation.next()).isEqualTo(A);
        assertThat(rotation.current()).isEqualTo(A);
    }

    @Test
    void noNodeIsRefused() {
        assertThatThrownBy(() -> new ServerRotation(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describesANodeAsTheHostNameGivenAndPort() {
        assertThat(ServerRotation.describe(B)).isEqualTo("b.example:7071");
    }
}
