package dev.herald.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up wait of {@link RedisServer}: returns once PING answers, fails at once when the process dies. */
class RedisServerTest {

    @Test
    void startReturnsOnceTheServerAnswersPing() {
        try (RedisServer server = RedisServer.start()) {
            assertThat(server.isRunning()).isTrue();
            assertThat(RedisWire.call(server.port(), "PING")).isEqualTo("PONG");
        }
    }

    @Test
    void aServerThatExitsAtStartFailsAtOnceRatherThanAfterTheTimeout() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            long start = System.nanoTime();

            assertThatThrownBy(() -> RedisServer.start(taken.getLocalPort(), RedisServer.Persistence.NONE, List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("redis-server exited with");
            // The wait is bounded at 20 s; a dead process must not use it up.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
