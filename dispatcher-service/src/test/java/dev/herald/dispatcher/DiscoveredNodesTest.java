package dev.herald.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.AccessNode;
import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.nodes.DiscoveredLiveNodes;
import dev.herald.config.nodes.LiveAccessNodes;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.MessageStatus;
import dev.herald.dispatcher.route.RouteTable;
import dev.herald.testsupport.RedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The dispatcher of cell {@code c1} with ZooKeeper: it commands the access nodes registered in discovery
 * for its cell, not those with a Redis heartbeat, and a node whose registration goes away (its session
 * ended) counts as down at once. The context is started and closed here, before ZooKeeper and Redis stop.
 */
class DiscoveredNodesTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String CELL = "c1";
    private static final String REGISTERED = "zk-node";
    private static final String HEARTBEAT_ONLY = "redis-only-node";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestRedis redis;
    private static ConfigurableApplicationContext dispatcher;
    private static ZooKeeperClient fakeNodeSession;

    @BeforeAll
    static void start() {
        redis = TestRedis.connect(REDIS);
        redis.heartbeat(HEARTBEAT_ONLY, System.currentTimeMillis() + Duration.ofHours(1).toMillis());
        fakeNodeSession = session();
        new AccessNodeRegistration(fakeNodeSession).register(new AccessNode(REGISTERED, CELL, "10.0.0.7", 7070, 8084));
        dispatcher = new SpringApplicationBuilder(DispatcherServiceApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                "--herald.zookeeper.connect-string=" + ZK.connectString(),
                "--herald.dispatcher.cell=" + CELL,
                "--herald.dispatcher.consumer-name=dispatcher-zk");
    }

    @AfterAll
    static void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        if (fakeNodeSession != null) {
            fakeNodeSession.close();
        }
        redis.close();
    }

    private static ZooKeeperClient session() {
        return new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(), ZooKeeperExtension.ROOT,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    private static String device() {
        return "dev-" + UUID.randomUUID();
    }

    @Test
    void liveNodesComeFromDiscoveryOfTheCellAndNotFromRedisHeartbeats() {
        RouteTable routes = dispatcher.getBean(RouteTable.class);
        assertThat(routes.liveNodes()).containsExactly(REGISTERED);

        String onRegistered = device();
        String onHeartbeatOnly = device();
        redis.route(onRegistered, REGISTERED);
        redis.route(onHeartbeatOnly, HEARTBEAT_ONLY);
        IntakeMessage message = TestRedis.multicast(List.of(onRegistered, onHeartbeatOnly), false);

        redis.intake(CELL, message);

        await().atMost(WAIT).untilAsserted(() -> assertThat(redis.commands(REGISTERED, message.id())).singleElement()
                .satisfies(command -> assertThat(command.devices()).containsExactly(onRegistered)));
        await().atMost(WAIT).untilAsserted(() -> assertThat(redis.status(message.id()))
                .containsEntry(MessageStatus.DROPPED, "1"));
        assertThat(redis.commands(HEARTBEAT_ONLY, message.id())).isEmpty();
    }

    @Test
    void aNodeWhoseSessionEndsGetsNoMoreCommandsAndItsDevicesCountAsOffline() {
        ZooKeeperClient session = session();
        String node = "zk-node-leaving";
        new AccessNodeRegistration(session).register(new AccessNode(node, CELL, "10.0.0.8", 7070, 8084));
        RouteTable routes = dispatcher.getBean(RouteTable.class);
        await().atMost(WAIT).until(() -> routes.liveNodes().contains(node));
        String device = device();
        redis.route(device, node);
        IntakeMessage before = TestRedis.unicast(device, false);
        redis.intake(CELL, before);
        await().atMost(WAIT).until(() -> redis.commands(node, before.id()).size() == 1);

        session.close();

        await().atMost(WAIT).until(() -> !routes.liveNodes().contains(node));
        IntakeMessage stored = TestRedis.unicast(device, true);
        IntakeMessage dropped = TestRedis.unicast(device, false);
        redis.intake(CELL, stored);
        redis.intake(CELL, dropped);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(redis.pending(device)).contains(stored.id());
            assertThat(redis.status(stored.id())).containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED)
                    .doesNotContainKey(MessageStatus.DROPPED);
            assertThat(redis.status(dropped.id())).containsEntry(MessageStatus.DROPPED, "1");
        });
        assertThat(redis.commands(node, stored.id())).isEmpty();
        assertThat(redis.commands(node, dropped.id())).isEmpty();
    }

    /**
     * The fault suite's ZooKeeper outage: a node whose session expired re-registers a moment after the
     * outage, and was missing from the set for 23 ms; unicasts to its connected devices in between were
     * stored instead of delivered. Within the departure grace it stays live.
     */
    @Test
    void aNodeThatRegistersAgainWithinTheGraceNeverLeavesTheSet() {
        String node = "zk-node-flapping";
        ZooKeeperClient first = session();
        new AccessNodeRegistration(first).register(new AccessNode(node, CELL, "10.0.0.9", 7070, 8084));
        RouteTable routes = dispatcher.getBean(RouteTable.class);
        DiscoveredLiveNodes departures = dispatcher.getBean(DiscoveredLiveNodes.class);
        await().atMost(WAIT).until(() -> routes.liveNodes().contains(node));

        ZooKeeperClient watching = session();
        LiveAccessNodes watcher = new LiveAccessNodes(watching, CELL);
        watcher.start();
        ZooKeeperClient second = session();
        try {
            first.close();
            // Discovery itself no longer lists it (another watcher sees that) and the dispatcher has had the
            // event (the node is departing), yet the dispatcher still commands it: its grace runs.
            await().atMost(WAIT).until(() -> !watcher.nodeIds().contains(node));
            await().atMost(WAIT).until(() -> departures.departing().contains(node));
            assertThat(routes.liveNodes()).contains(node);
            new AccessNodeRegistration(second).register(new AccessNode(node, CELL, "10.0.0.9", 7070, 8084));
            String device = device();
            redis.route(device, node);
            IntakeMessage message = TestRedis.unicast(device, true);
            redis.intake(CELL, message);
            await().atMost(WAIT).until(() -> redis.commands(node, message.id()).size() == 1);
            assertThat(routes.liveNodes()).contains(node);
        } finally {
            second.close();
            watcher.close();
            watching.close();
        }
    }

    @Test
    void aBroadcastGoesToTheRegisteredNodesOnly() {
        IntakeMessage message = TestRedis.broadcast(false);

        redis.intake(CELL, message);

        await().atMost(WAIT).until(() -> redis.commands(REGISTERED, message.id()).size() == 1);
        assertThat(redis.commands(HEARTBEAT_ONLY, message.id())).isEmpty();
    }

    @Test
    void readinessIncludesZooKeeperAndLivenessDoesNot() {
        WebTestClient web = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + dispatcher.getEnvironment().getProperty("local.management.port"))
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
}
