package dev.herald.config.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import dev.herald.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Live nodes from the Redis heartbeats in {@code h:nodes}, against a real redis-server. */
class HeartbeatLiveNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration LIVENESS = Duration.ofSeconds(15);

    private static RedisServer server;
    private static LettuceConnectionFactory connections;
    private static ReactiveStringRedisTemplate redis;

    private HeartbeatLiveNodes live;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start();
        // A short command timeout, so that a refresh against a stopped server fails instead of waiting for it.
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(500)).build());
        connections.afterPropertiesSet();
        connections.start();
        redis = new ReactiveStringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() {
        connections.destroy();
        server.close();
    }

    @BeforeEach
    void start() {
        redis.delete(RedisKeys.LIVE_NODES).block(WAIT);
        heartbeat("node-a", System.currentTimeMillis());
        heartbeat("node-old", System.currentTimeMillis() - LIVENESS.toMillis() - 60_000);
        live = new HeartbeatLiveNodes(redis, LIVENESS);
        live.start();
    }

    @AfterEach
    void stop() {
        live.stop();
    }

    private static void heartbeat(String node, long at) {
        redis.opsForZSet().add(RedisKeys.LIVE_NODES, node, at).block(WAIT);
    }

    @Test
    void startReturnsWithTheNodesWhoseHeartbeatIsWithinTheLivenessLoaded() {
        assertThat(live.current()).containsExactly("node-a");
        assertThat(live.trustworthy()).isTrue();
        assertThat(live.isRunning()).isTrue();
        assertThat(live.getPhase()).isEqualTo(LiveNodes.PHASE);
    }

    @Test
    void aNewHeartbeatCountsAndAStaleOneDropsOutWithinARefresh() {
        heartbeat("node-b", System.currentTimeMillis());
        heartbeat("node-a", System.currentTimeMillis() - LIVENESS.toMillis() - 1);

        await().atMost(WAIT).untilAsserted(() -> assertThat(live.current()).containsExactly("node-b"));
    }

    @Test
    void whileRedisIsDownTheLastSetIsKeptButNotTrusted() {
        server.stop();
        try {
            await().atMost(WAIT).until(() -> !live.trustworthy());
            assertThat(live.current()).containsExactly("node-a");
        } finally {
            server.startAgain();
        }
        await().atMost(WAIT).until(live::trustworthy);
    }
}
