package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static dev.herald.access.TestDevice.NEWS;
import static dev.herald.access.TestDevice.NEWS_SECRET;
import static dev.herald.access.TestDevice.OTHER;
import static dev.herald.access.TestDevice.OTHER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * An MQTT QoS 1 subscriber's queue behind its window of 64 unacknowledged PUBLISHes, on a real node (real
 * Redis, a stub saver) with a queue of {@value #QUEUE}: pushes past the window wait and go out as PUBACKs
 * arrive; a full queue drops its oldest online-only pushes (counted in the status and the meter) and leaves
 * stored ones to the backlog, never dropping them. The Paho client acknowledges by hand, so the test
 * decides when the window opens.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=" + MqttQueueTest.NODE,
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
        "herald.access.mqtt.queue-max-messages=" + MqttQueueTest.QUEUE,
})
@DirtiesContext
class MqttQueueTest {

    static final String NODE = "access-mqtt-queue";
    static final int QUEUE = 10;
    private static final int WINDOW = 64;
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger DEVICES = new AtomicInteger();

    private static StubSaver saver;
    private static int port;

    @Autowired
    private ReactiveStringRedisTemplate redis;
    @Autowired
    private JsonMapper json;
    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void accessProperties(DynamicPropertyRegistry registry) {
        saver = StubSaver.start();
        port = RedisServer.freePort();
        registry.add("herald.access.saver-url", saver::url);
        registry.add("herald.access.port", () -> port);
        for (String app : TestDevice.APPS) {
            int eq = app.indexOf('=');
            registry.add(app.substring(0, eq), () -> app.substring(eq + 1));
        }
    }

    @AfterAll
    static void stopSaver() {
        if (saver != null) {
            saver.close();
        }
    }

    @Test
    void pushesPastTheWindowWaitAndAFullQueueDropsItsOldestOnlineOnlyOnesCounted() throws Exception {
        try (Subscriber device = Subscriber.connect(DEMO, DEMO_SECRET)) {
            double droppedBefore = counter("herald.access.mqtt.dropped");
            List<String> ids = new ArrayList<>();
            int sent = WINDOW + QUEUE + 5;
            for (int i = 1; i <= sent; i++) {
                ids.add(onlineOnlyBroadcast(DEMO, "b" + i));
            }

            // The five oldest waiting pushes (b65..b69) made room for the last five.
            await().atMost(WAIT).until(() -> counter("herald.access.mqtt.dropped") == droppedBefore + 5);
            await().atMost(WAIT).until(() -> device.arrived.size() == WINDOW);
            assertThat(device.payloads()).containsExactlyElementsOf(texts("b", 1, WINDOW));
            await().atMost(WAIT).untilAsserted(() -> {
                for (int i = 0; i < sent; i++) {
                    boolean droppedHere = i >= WINDOW && i < WINDOW + 5;
                    assertThat(field(ids.get(i), MessageStatus.DROPPED)).as("dropped of b%d", i + 1)
                            .isEqualTo(droppedHere ? "1" : null);
                }
            });

            device.ackAll();
            await().atMost(WAIT).until(() -> device.arrived.size() == WINDOW + QUEUE);
            assertThat(device.payloads().subList(WINDOW, WINDOW + QUEUE))
                    .containsExactlyElementsOf(texts("b", WINDOW + 6, sent));
            device.ackAll();
            assertThat(counter("herald.access.mqtt.dropped")).isEqualTo(droppedBefore + 5);
        }
    }

    @Test
    void storedPushesAreNeverDroppedFromTheQueueButLeftToTheBacklog() throws Exception {
        String lateOnline;
        String lateStored;
        String deviceId;
        try (Subscriber device = Subscriber.connect(NEWS, NEWS_SECRET)) {
            deviceId = device.deviceId;
            double droppedBefore = counter("herald.access.mqtt.dropped");
            double deferredBefore = counter("herald.access.mqtt.deferred");
            for (int i = 1; i <= WINDOW; i++) {
                unicast(NEWS, device.deviceId, "f" + i, false);
            }
            for (int i = 1; i <= QUEUE; i++) {
                unicast(NEWS, device.deviceId, "s" + i, true);
            }
            // The queue holds stored pushes only: none of them makes room for what comes next.
            lateOnline = onlineOnlyBroadcast(NEWS, "late online-only");
            lateStored = unicast(NEWS, device.deviceId, "late stored", true);
            xadd(new DeliveryCommand(status(MessageId.generate().toString()), NEWS, true, 50, List.of(),
                    bytes("late stored broadcast"), inOneHour(), true));

            await().atMost(WAIT).until(() -> counter("herald.access.mqtt.deferred") == deferredBefore + 2);
            assertThat(counter("herald.access.mqtt.dropped")).isEqualTo(droppedBefore + 1);
            await().atMost(WAIT).until(() -> "1".equals(field(lateOnline, MessageStatus.DROPPED)));
            assertThat(field(lateStored, MessageStatus.DROPPED)).isNull();

            await().atMost(WAIT).until(() -> device.arrived.size() == WINDOW);
            device.ackAll();
            await().atMost(WAIT).until(() -> device.arrived.size() == WINDOW + QUEUE);
            assertThat(device.payloads().subList(WINDOW, WINDOW + QUEUE)).containsExactlyElementsOf(texts("s", 1, QUEUE));
            device.ackAll();

            // A later stored broadcast gets through the empty queue and is acknowledged...
            xadd(new DeliveryCommand(status(MessageId.generate().toString()), NEWS, true, 51, List.of(),
                    bytes("after"), inOneHour(), true));
            await().atMost(WAIT).until(() -> device.payloads().contains("after"));
            device.ackAll();
            assertThat(device.payloads()).doesNotContain("late online-only", "late stored", "late stored broadcast");
        }
        // ...but the cursor in the offline store stays below the broadcast left to the backlog (50), so that the
        // next connection gets it (and 51 again, which the device drops by id). The script only ever raises a
        // cursor, so 49 at the end means it never passed 50.
        await().atMost(WAIT).untilAsserted(() -> assertThat(OfflineStoreView.cursor(redis, NEWS, deviceId)).isEqualTo(49));
        // The stored unicast left behind was never acknowledged: it stays pending.
        assertThat(OfflineStoreView.acked(redis, NEWS, deviceId)).doesNotContain(lateStored);
    }

    @Test
    void onlineOnlyPushesStillWaitingWhenTheConnectionClosesCountAsDropped() throws Exception {
        List<String> ids = new ArrayList<>();
        double droppedBefore = counter("herald.access.mqtt.dropped");
        double pushedBefore = livePushes();
        try (Subscriber device = Subscriber.connect(OTHER, OTHER_SECRET)) {
            for (int i = 1; i <= WINDOW + 3; i++) {
                ids.add(onlineOnlyBroadcast(OTHER, "o" + i));
            }
            await().atMost(WAIT).until(() -> device.arrived.size() == WINDOW);
            // Every push was handed to the connection (written or queued) before it closes.
            await().atMost(WAIT).until(() -> livePushes() == pushedBefore + WINDOW + 3);
        }
        await().atMost(WAIT).until(() -> counter("herald.access.mqtt.dropped") == droppedBefore + 3);
        await().atMost(WAIT).untilAsserted(() -> {
            for (String id : ids.subList(WINDOW, WINDOW + 3)) {
                assertThat(field(id, MessageStatus.DROPPED)).isEqualTo("1");
            }
        });
        assertThat(field(ids.get(0), MessageStatus.DROPPED)).isNull();
    }

    // --- helpers -----------------------------------------------------------------------------

    private String onlineOnlyBroadcast(String appId, String text) {
        String id = status(MessageId.generate().toString());
        xadd(new DeliveryCommand(id, appId, true, 0, List.of(), bytes(text), inOneHour(), false));
        return id;
    }

    private String unicast(String appId, String deviceId, String text, boolean stored) {
        String id = status(MessageId.generate().toString());
        xadd(new DeliveryCommand(id, appId, false, 0, List.of(deviceId), bytes(text), inOneHour(), stored));
        return id;
    }

    /** Creates the message's status hash, as push-api does: the node counts only into an existing one. */
    private String status(String messageId) {
        redis.opsForHash().put(RedisKeys.status(messageId), MessageStatus.STATE, MessageStatus.STATE_ACCEPTED).block(WAIT);
        return messageId;
    }

    private String field(String messageId, String field) {
        Object value = redis.opsForHash().get(RedisKeys.status(messageId), field).block(WAIT);
        return value == null ? null : value.toString();
    }

    private void xadd(DeliveryCommand command) {
        redis.opsForStream().add(RedisKeys.deliveries(NODE),
                Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(command))).block(WAIT);
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }

    private double livePushes() {
        return meters.get("herald.access.messages.pushed").tag("kind", "live").counter().count();
    }

    private static List<String> texts(String prefix, int from, int to) {
        List<String> texts = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            texts.add(prefix + i);
        }
        return texts;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long inOneHour() {
        return System.currentTimeMillis() + 3_600_000;
    }

    /** A Paho client subscribed with QoS 1 to its device and broadcast topics, acknowledging only when told. */
    private static final class Subscriber implements MqttCallback, AutoCloseable {
        final String deviceId = "qdev-" + DEVICES.incrementAndGet();
        final List<MqttMessage> arrived = new CopyOnWriteArrayList<>();
        private final MqttClient client;
        private int acked;

        private Subscriber() throws MqttException {
            client = new MqttClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
            client.setManualAcks(true);
            client.setCallback(this);
        }

        static Subscriber connect(String appId, String secret) throws MqttException {
            Subscriber subscriber = new Subscriber();
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setConnectionTimeout(10);
            options.setUserName(appId);
            options.setPassword(TestDevice.token(appId, secret, subscriber.deviceId).toCharArray());
            subscriber.client.connect(options);
            subscriber.client.subscribe(new String[] {"herald/" + appId + "/devices/" + subscriber.deviceId,
                    "herald/" + appId + "/broadcast"}, new int[] {1, 1});
            // The backlog (none here) is fetched after the subscription; live pushes are sent from then on.
            await().atMost(WAIT).until(() -> saver.fetches.stream().flatMap(f -> f.devices().stream())
                    .anyMatch(d -> d.deviceId().equals(subscriber.deviceId)));
            return subscriber;
        }

        List<String> payloads() {
            return arrived.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8)).toList();
        }

        /** PUBACKs every message that arrived and was not acknowledged yet. */
        void ackAll() throws MqttException {
            List<MqttMessage> now = arrived;
            for (; acked < now.size(); acked++) {
                client.messageArrivedComplete(now.get(acked).getId(), now.get(acked).getQos());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived.add(message);
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        }
    }
}
