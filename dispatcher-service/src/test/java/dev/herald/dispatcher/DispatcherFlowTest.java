package dev.herald.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.route.RouteTable;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.reactor.netty.shutdown-quiet-period=0s",
                // Long enough for the whole class, so the nodes registered before start stay live.
                "herald.dispatcher.node-liveness=PT2M"})
@AutoConfigureWebTestClient
@DirtiesContext
class DispatcherFlowTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final String NODE_A = "node-a";
    static final String NODE_B = "node-b";
    static final String DEAD_NODE = "node-dead";
    static TestRedis redis;

    @Autowired
    RouteTable routeTable;
    @Autowired
    MeterRegistry meters;
    @Autowired
    WebTestClient web;
    @LocalManagementPort
    int managementPort;

    @BeforeAll
    static void connect() {
        redis = TestRedis.connect(REDIS);
        // Registered before the context starts: its first snapshot of live nodes already has them.
        long now = System.currentTimeMillis();
        redis.heartbeat(NODE_A, now);
        redis.heartbeat(NODE_B, now);
        redis.heartbeat(DEAD_NODE, now - Duration.ofMinutes(10).toMillis());
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void aRequestOfSeveralMessagesIsOneEntryPerNodeInRequestOrderWithEveryStatusDispatched() {
        String node = NODE_B;
        List<String> devices = List.of(device(), device(), device());
        devices.forEach(d -> redis.route(d, node));
        MessageId[] ids = MessageId.batch(devices.size());
        long now = System.currentTimeMillis();
        List<IntakeMessage> request = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            request.add(new IntakeMessage(ids[i].toString(), TestRedis.APP, TargetKind.DEVICE, List.of(devices.get(i)),
                    ("m" + i).getBytes(StandardCharsets.UTF_8), false, now, now + 60_000));
        }
        long entriesBefore = redis.deliveryEntries(node);

        String entry = redis.intakeRequest(request);

        await().untilAsserted(() -> assertThat(redis.intakeHolds(entry)).as("dispatched and deleted").isFalse());
        List<String> written = redis.commands(node).stream().map(DeliveryCommand::messageId)
                .filter(id -> request.stream().anyMatch(m -> m.id().equals(id))).toList();
        assertThat(written).containsExactly(ids[0].toString(), ids[1].toString(), ids[2].toString());
        assertThat(redis.deliveryEntries(node) - entriesBefore).as("one entry for the batch's commands").isEqualTo(1);
        for (MessageId id : ids) {
            assertThat(redis.status(id.toString())).containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED);
        }
    }

    @Test
    void unicastToOnlineDeviceBecomesOneCommandOnItsNode() {
        String node = NODE_A;
        String device = device();
        redis.route(device, node);
        IntakeMessage message = TestRedis.unicast(device, false);

        String entry = redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.commands(node, message.id())).hasSize(1));
        DeliveryCommand command = redis.commands(node, message.id()).get(0);
        assertThat(command.appId()).isEqualTo(TestRedis.APP);
        assertThat(command.broadcast()).isFalse();
        assertThat(command.broadcastSeq()).isZero();
        assertThat(command.devices()).containsExactly(device);
        assertThat(command.payload()).isEqualTo(message.payload());
        assertThat(command.expiresAt()).isEqualTo(message.expiresAt());
        await().untilAsserted(() -> {
            assertThat(redis.intakePending(entry)).as("acknowledged").isFalse();
            assertThat(redis.intakeHolds(entry)).as("deleted").isFalse();
        });
        assertThat(redis.status(message.id())).containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED)
                .doesNotContainKey(MessageStatus.DROPPED);
        assertThat(redis.sync().pttl(RedisKeys.status(message.id()))).isPositive();
        assertThat(redis.bodyStored(message.id())).as("online-only: nothing stored").isFalse();
    }

    @Test
    void multicastToDevicesOnTwoNodesBecomesOneCommandPerNode() {
        String a1 = device();
        String a2 = device();
        String b1 = device();
        redis.route(a1, NODE_A);
        redis.route(a2, NODE_A);
        redis.route(b1, NODE_B);
        IntakeMessage message = TestRedis.multicast(List.of(a1, b1, a2), false);

        redis.intake(message);

        await().untilAsserted(() -> {
            assertThat(redis.commands(NODE_A, message.id())).hasSize(1);
            assertThat(redis.commands(NODE_B, message.id())).hasSize(1);
        });
        assertThat(redis.commands(NODE_A, message.id()).get(0).devices()).containsExactly(a1, a2);
        assertThat(redis.commands(NODE_B, message.id()).get(0).devices()).containsExactly(b1);
    }

    @Test
    void broadcastGoesOnceToEveryLiveNodeAndNeverToADeadOne() {
        IntakeMessage message = TestRedis.broadcast(true);

        redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.status(message.id()))
                .containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED));
        long seq = redis.broadcastSeq(message.id());
        assertThat(seq).as("stored in the broadcast log").isPositive();
        assertThat(redis.bodyStored(message.id())).isTrue();
        assertThat(redis.status(message.id())).containsEntry(MessageStatus.STORED, "1");
        assertThat(routeTable.liveNodes()).containsExactlyInAnyOrder(NODE_A, NODE_B);
        for (String node : routeTable.liveNodes()) {
            assertThat(redis.commands(node, message.id())).as("commands on %s", node).singleElement()
                    .satisfies(c -> {
                        assertThat(c.broadcast()).isTrue();
                        assertThat(c.broadcastSeq()).isEqualTo(seq);
                        assertThat(c.devices()).isEmpty();
                    });
        }
        assertThat(redis.commands(DEAD_NODE, message.id())).isEmpty();
    }

    @Test
    void offlineFlaggedMessageIsStoredForAllTargetsAndCountedAsStored() {
        String node = NODE_A;
        String online = device();
        String offline = device();
        redis.route(online, node);
        IntakeMessage message = TestRedis.multicast(List.of(online, offline), true);

        redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.commands(node, message.id())).singleElement()
                .satisfies(c -> assertThat(c.devices()).containsExactly(online)));
        assertThat(redis.pending(online)).containsExactly(message.id());
        assertThat(redis.pending(offline)).containsExactly(message.id());
        assertThat(redis.bodyStored(message.id())).isTrue();
        await().untilAsserted(() -> assertThat(redis.status(message.id()))
                .containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED)
                .containsEntry(MessageStatus.STORED, "2")
                .as("stored, not dropped").doesNotContainKey(MessageStatus.DROPPED));
    }

    @Test
    void onlineOnlyMessageToOfflineDeviceIsDroppedAndCounted() {
        String device = device();
        IntakeMessage message = TestRedis.unicast(device, false);

        redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.status(message.id()))
                .containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED)
                .containsEntry(MessageStatus.DROPPED, "1"));
        assertThat(redis.bodyStored(message.id())).isFalse();
        assertThat(redis.sync().keys("h:deliveries:*").stream()
                .flatMap(key -> redis.commands(key.substring("h:deliveries:{".length(), key.length() - 1)).stream())
                .filter(c -> c.messageId().equals(message.id()))).isEmpty();
    }

    @Test
    void routeToADeadNodeCountsAsOffline() {
        String device = device();
        redis.route(device, DEAD_NODE);
        IntakeMessage message = TestRedis.unicast(device, false);

        redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.status(message.id())).containsEntry(MessageStatus.DROPPED, "1"));
        assertThat(redis.commands(DEAD_NODE, message.id())).isEmpty();
    }

    /**
     * Store before deliver: a store that fails for one target (its pending set is of the wrong type) delivers to
     * none, not even to a connected one, and the entry stays pending until the store succeeds.
     */
    @Test
    void aFailedStoreDeliversNothingAndIsRetriedUntilItSucceedsThenDeliversOnce() {
        String node = NODE_A;
        String online = device();
        String unstorable = device();
        redis.route(online, node);
        redis.sync().set(RedisKeys.pending(TestRedis.APP, unstorable), "not a sorted set");
        IntakeMessage message = TestRedis.multicast(List.of(online, unstorable), true);
        double failuresBefore = meters.counter("herald.dispatcher.store.failures").count();

        String entry = redis.intake(message);

        await().until(() -> meters.counter("herald.dispatcher.store.failures").count() >= failuresBefore + 2);
        assertThat(redis.commands(node, message.id())).isEmpty();
        assertThat(redis.intakePending(entry)).isTrue();
        assertThat(redis.status(message.id())).doesNotContainKey(MessageStatus.STATE);

        redis.sync().del(RedisKeys.pending(TestRedis.APP, unstorable));

        await().untilAsserted(() -> {
            assertThat(redis.intakePending(entry)).isFalse();
            assertThat(redis.intakeHolds(entry)).isFalse();
        });
        assertThat(redis.commands(node, message.id())).hasSize(1);
        assertThat(redis.pending(unstorable)).containsExactly(message.id());
        assertThat(redis.pending(online)).containsExactly(message.id());
    }

    @Test
    void expiredMessageIsNotDelivered() {
        String node = NODE_A;
        String device = device();
        redis.route(device, node);
        IntakeMessage message = TestRedis.message(TargetKind.DEVICE, List.of(device), true, Duration.ofMillis(-1));

        String entry = redis.intake(message);

        await().untilAsserted(() -> assertThat(redis.status(message.id()))
                .containsEntry(MessageStatus.STATE, MessageStatus.STATE_DISPATCHED)
                .containsEntry(MessageStatus.EXPIRED, "1"));
        assertThat(redis.commands(node, message.id())).isEmpty();
        assertThat(redis.bodyStored(message.id())).isFalse();
        assertThat(redis.intakeHolds(entry)).isFalse();
    }

    @Test
    void malformedEntriesAreAcknowledgedDeletedAndCounted() {
        double before = meters.counter("herald.dispatcher.intake.malformed").count();

        String notJson = redis.intakeRaw("{not json");
        String noDevice = redis.intakeRaw("{\"id\":\"x\",\"appId\":\"demo\",\"kind\":\"DEVICE\",\"devices\":[],"
                + "\"payload\":\"aGk=\",\"offline\":false,\"createdAt\":1,\"expiresAt\":9999999999999}");
        String noField = redis.sync().xadd(TestRedis.INTAKE, Map.of("other", "value"));

        await().untilAsserted(() -> {
            for (String entry : List.of(notJson, noDevice, noField)) {
                assertThat(redis.intakePending(entry)).isFalse();
                assertThat(redis.intakeHolds(entry)).isFalse();
            }
        });
        assertThat(meters.counter("herald.dispatcher.intake.malformed").count()).isEqualTo(before + 3);
    }

    @Test
    void actuatorShowsRedisHealthAndDispatcherMetrics() {
        String node = NODE_A;
        String device = device();
        redis.route(device, node);
        IntakeMessage message = TestRedis.unicast(device, false);
        redis.intake(message);
        await().untilAsserted(() -> assertThat(redis.commands(node, message.id())).hasSize(1));

        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound().expectBody().returnResult();
        management.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
        await().untilAsserted(() -> management.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body)
                        .contains("herald_dispatcher_messages_dispatched_total{cell=\"default\",kind=\"device\"")
                        .contains("herald_dispatcher_deliveries_total")
                        .contains("herald_dispatcher_batches_total{cell=\"default\",node=\"dispatcher-1\",result=\"ok\"")
                        .contains("herald_dispatcher_intake_lag")
                        .contains("herald_dispatcher_store_failures_total")
                        .contains("herald_dispatcher_intake_pending")));
    }


    private static String device() {
        return "dev-" + UUID.randomUUID();
    }
}
