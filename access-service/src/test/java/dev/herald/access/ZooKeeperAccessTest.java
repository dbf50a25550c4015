package dev.herald.access;

import static dev.herald.config.testing.ZooKeeperExtension.appJson;
import static dev.herald.config.testing.ZooKeeperExtension.blacklistJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An access node with ZooKeeper: apps and the IP blacklist from the config tree, registration in
 * discovery. One node for the class, closed by the last test (which checks it leaves discovery), before
 * ZooKeeper and Redis stop. Never two nodes at once: closing a Boot reactive application disposes
 * Reactor Netty's global resources, which the other one's HTTP server runs on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZooKeeperAccessTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration APPLY = ZooKeeperExtension.applyWithin();
    private static final String CELL = "c1";
    private static final String SHARED_NODE = "access-zk";

    private static StubSaver saver;
    private static ConfigurableApplicationContext sharedNode;
    private static int sharedPort;

    @BeforeAll
    static void start() {
        saver = StubSaver.start();
        ZK.putConfig("apps/demo", appJson("demo", "demo-key", "default", TestDevice.DEMO_SECRET));
        sharedPort = RedisServer.freePort();
        sharedNode = startNode(SHARED_NODE, sharedPort, "herald.access.advertised-host=node.internal");
    }

    @AfterAll
    static void stop() {
        if (sharedNode != null) {
            sharedNode.close();
        }
        saver.close();
    }

    private static ConfigurableApplicationContext startNode(String nodeId, int port, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "management.server.port=0",
                "spring.reactor.netty.shutdown-quiet-period=0s",
                "herald.zookeeper.connect-string=" + ZK.connectString(),
                "herald.access.node-id=" + nodeId,
                "herald.access.cell=" + CELL,
                "herald.access.host=127.0.0.1",
                "herald.access.port=" + port,
                "herald.access.saver-url=" + saver.url(),
                "herald.access.shutdown-timeout=PT2S"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(AccessServiceApplication.class)
                .run(properties.stream().map(p -> "--" + p).toArray(String[]::new));
    }

    private static String registration(String nodeId) {
        return ZK.read(ZooKeeperExtension.ROOT + "/services/access." + CELL + "/" + nodeId);
    }

    @Test
    void staticAppsAreNotUsedWithZooKeeper() {
        // "other" is configured nowhere but in static properties of other tests; demo is in ZooKeeper.
        try (TestDevice device = TestDevice.open("static-check", sharedPort)) {
            Frame.ConnAck ack = device.connect(List.of(new Frame.AppLogin(TestDevice.OTHER,
                    TestDevice.token(TestDevice.OTHER, TestDevice.OTHER_SECRET, "static-check"), 0)));
            assertThat(ack.code()).isEqualTo(ErrorCode.UNKNOWN_APP);
        }
    }

    @Test
    void aTokenSignedForANewlyAddedAppIsAcceptedAndEitherSecretWorksDuringARotation() {
        String newer = "fresh-newer-0123456789";
        String older = "fresh-older-0123456789";
        ZK.putConfig("apps/fresh", appJson("fresh", "fresh-key", "default", older));
        await().atMost(APPLY).untilAsserted(() -> {
            try (TestDevice device = TestDevice.open("fresh-1", sharedPort)) {
                assertThat(device.connect(List.of(new Frame.AppLogin("fresh", TestDevice.token("fresh", older, "fresh-1"), 0)))
                        .code()).isEqualTo(ErrorCode.OK);
            }
        });

        ZK.putConfig("apps/fresh", appJson("fresh", "fresh-key", "default", newer, older));

        await().atMost(APPLY).untilAsserted(() -> {
            try (TestDevice device = TestDevice.open("fresh-2", sharedPort)) {
                assertThat(device.connect(List.of(new Frame.AppLogin("fresh", TestDevice.token("fresh", newer, "fresh-2"), 0)))
                        .code()).isEqualTo(ErrorCode.OK);
            }
        });
        try (TestDevice device = TestDevice.open("fresh-3", sharedPort)) {
            assertThat(device.connect(List.of(new Frame.AppLogin("fresh", TestDevice.token("fresh", older, "fresh-3"), 0)))
                    .code()).isEqualTo(ErrorCode.OK);
        }
        try (TestDevice device = TestDevice.open("fresh-4", sharedPort)) {
            assertThat(device.connect(List.of(new Frame.AppLogin("fresh",
                    TestDevice.token("fresh", "unrelated-secret-0123456789", "fresh-4"), 0))).code())
                    .isEqualTo(ErrorCode.BAD_TOKEN);
        }
    }

    @Test
    void aBlacklistedAddressIsClosedWithoutAWordUntilItIsUnblocked() {
        MeterRegistry meters = sharedNode.getBean(MeterRegistry.class);
        double blockedBefore = meters.counter("herald.access.connections.blocked").count();
        try {
            ZK.putConfig("global/blacklist-ips", blacklistJson("127.0.0.1/32"));
            // Each probe waits briefly: one that connected before the change applied is simply not closed.
            await().atMost(APPLY).until(() -> {
                try (TestDevice probe = TestDevice.open("blocked", sharedPort)) {
                    return probe.awaitClosed(Duration.ofMillis(200)) && probe.receivedNothing();
                }
            });
            try (TestDevice blocked = TestDevice.open("blocked", sharedPort)) {
                assertThat(blocked.awaitClosed()).isTrue();
                assertThat(blocked.receivedNothing()).as("closed without CONNACK or any frame").isTrue();
            }
            assertThat(meters.counter("herald.access.connections.blocked").count()).isGreaterThan(blockedBefore);
        } finally {
            ZK.putConfig("global/blacklist-ips", blacklistJson());
        }
        await().atMost(APPLY).untilAsserted(() -> {
            try (TestDevice device = TestDevice.open("unblocked", sharedPort)) {
                assertThat(device.connect(List.of(new Frame.AppLogin(TestDevice.DEMO,
                        TestDevice.token(TestDevice.DEMO, TestDevice.DEMO_SECRET, "unblocked"), 0))).code())
                        .isEqualTo(ErrorCode.OK);
            }
        });
    }

    @Test
    void readinessIncludesZooKeeper() {
        WebTestClient web = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + sharedNode.getEnvironment().getProperty("local.management.port"))
                .responseTimeout(Duration.ofSeconds(30)).build();
        web.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
        web.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.zookeeper").doesNotExist();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theNodeIsRegisteredInItsCellWithItsAddressesAndLeavesOnShutdown() {
        String data = registration(SHARED_NODE);
        int httpPort = Integer.parseInt(sharedNode.getEnvironment().getProperty("local.server.port"));
        assertThat(data).contains("\"name\":\"access." + CELL + "\"", "\"id\":\"" + SHARED_NODE + "\"",
                "\"address\":\"node.internal\"", "\"port\":" + sharedPort,
                "\"payload\":{\"nodeId\":\"" + SHARED_NODE + "\",\"cell\":\"" + CELL + "\",\"httpPort\":" + httpPort + "}");
        // The Redis heartbeat stays, for services without ZooKeeper.
        ReactiveStringRedisTemplate redis = sharedNode.getBean(ReactiveStringRedisTemplate.class);
        assertThat(redis.opsForZSet().score(RedisKeys.LIVE_NODES, SHARED_NODE).block(WAIT)).isNotNull();

        sharedNode.close();
        sharedNode = null;

        assertThat(registration(SHARED_NODE)).isNull();
    }
}
