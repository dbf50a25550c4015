package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Timeouts and shutdown. These need short timers or a context the test itself closes, so each test
 * starts its own node instead of sharing the cached test context.
 */
class NodeLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static StubSaver saver;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> redisConnection;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void start() {
        saver = StubSaver.start();
        redisClient = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        redisConnection = redisClient.connect();
        redis = redisConnection.sync();
    }

    @AfterAll
    static void stop() {
        redisConnection.close();
        redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        saver.close();
    }

    private static ConfigurableApplicationContext startNode(String nodeId, int port, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.reactor.netty.shutdown-quiet-period=0s",
                "herald.access.node-id=" + nodeId,
                "herald.access.host=127.0.0.1",
                "herald.access.port=" + port,
                "herald.access.saver-url=" + saver.url(),
                "herald.access.shutdown-timeout=PT2S"));
        properties.addAll(List.of(TestDevice.APPS));
        properties.addAll(List.of(extra));
        // As command-line arguments: they override application.yml, as in a real deployment.
        return new SpringApplicationBuilder(AccessServiceApplication.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    @Test
    void silentConnectionsAreClosedQuietlyOrWithHeartbeatTimeout() {
        int port = RedisServer.freePort();
        try (ConfigurableApplicationContext node = startNode("access-timeouts", port,
                "herald.access.heartbeat=PT1S", "herald.access.handshake-timeout=PT0.3S");
             TestDevice silentFromTheStart = TestDevice.open("silent-1", port);
             TestDevice silentAfterLogin = TestDevice.connected(port, "silent-2", DEMO, DEMO_SECRET)) {

            // Nothing told the node which protocol the connection speaks, so it closes without a word.
            assertThat(silentFromTheStart.awaitClosed()).isTrue();
            assertThat(silentFromTheStart.receivedNothing()).isTrue();

            await().atMost(WAIT).until(() -> "access-timeouts".equals(redis.get(RedisKeys.route(DEMO, "silent-2"))));
            Frame.Disconnect heartbeat = silentAfterLogin.next(Frame.Disconnect.class);
            assertThat(heartbeat.code()).isEqualTo(ErrorCode.HEARTBEAT_TIMEOUT);
            assertThat(silentAfterLogin.awaitClosed()).isTrue();
            await().atMost(WAIT).until(() -> redis.get(RedisKeys.route(DEMO, "silent-2")) == null);
        }
    }

    @Test
    void shutdownDisconnectsDevicesRemovesRoutesAndLeavesLiveNodes() {
        int port = RedisServer.freePort();
        String nodeId = "access-shutdown";
        ConfigurableApplicationContext node = startNode(nodeId, port);
        try (TestDevice device = TestDevice.connected(port, "leaving", DEMO, DEMO_SECRET)) {
            await().atMost(WAIT).until(() -> nodeId.equals(redis.get(RedisKeys.route(DEMO, "leaving")))
                    && redis.zscore(RedisKeys.LIVE_NODES, nodeId) != null);

            node.close();

            assertThat(device.next(Frame.Disconnect.class).code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN);
            assertThat(device.awaitClosed()).isTrue();
            assertThat(redis.zscore(RedisKeys.LIVE_NODES, nodeId)).isNull();
            assertThat(redis.get(RedisKeys.route(DEMO, "leaving"))).isNull();
        } finally {
            node.close();
        }
    }
}
