package dev.herald.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.Prerequisites;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The redis-server that {@code RedisBatchingBench} measures against. */
class PeerServerTest {

    @Test
    void redisAnswersOnItsFreePortUntilClosed(@TempDir Path dir) {
        Prerequisites.require(PeerBinaries.find("redis-server") != null, "redis-server: apt-get install -y redis-server");
        PeerServer server = PeerServer.redis(dir);
        try {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                assertThat(connection.sync().configGet("appendonly")).containsEntry("appendonly", "no");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            server.close();
        }
        assertThat(server.isAlive()).isFalse();
    }
}
