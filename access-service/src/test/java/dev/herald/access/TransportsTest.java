package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static dev.herald.access.TestDevice.NEWS;
import static dev.herald.access.TestDevice.NEWS_SECRET;
import static dev.herald.access.TestDevice.OTHER;
import static dev.herald.access.TestDevice.OTHER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.Unpooled;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one device port with clients nobody here wrote: the JDK's WebSocket client, Eclipse Paho (MQTT
 * 3.1.1) and raw sockets sending garbage. Real Redis, a stub saver; set up like {@link AccessNodeTest}.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=" + TransportsTest.NODE,
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
})
@DirtiesContext
class TransportsTest {

    static final String NODE = "access-transports";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger DEVICES = new AtomicInteger();

    private static StubSaver saver;
    private static int port;

    @Autowired
    private ReactiveStringRedisTemplate redis;
    @Autowired
    private JsonMapper json;
    @Autowired
    private MeterRegistry meters;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

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
        // Only demo has a callback URL; nothing calls it in this module. (Set here, not in @SpringBootTest:
        // a list binds from one property source only.)
        registry.add("herald.apps[0].callback-url", () -> "http://127.0.0.1:9/uplink");
    }

    @AfterAll
    static void stopSaver() {
        if (saver != null) {
            saver.close();
        }
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(logs);
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String newDevice() {
        return "tdev-" + DEVICES.incrementAndGet();
    }

    private void xadd(DeliveryCommand command) {
        redis.opsForStream().add(RedisKeys.deliveries(NODE),
                Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(command))).block(WAIT);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long inOneHour() {
        return System.currentTimeMillis() + 3_600_000;
    }

    private double rejected(String reason) {
        var counter = meters.find("herald.access.connections.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitAcked(String appId, String deviceId, String messageId) {
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(OfflineStoreView.acked(redis, appId, deviceId)).contains(messageId));
    }

    // --- first bytes -------------------------------------------------------------------------

    static Stream<Arguments> unwelcomeFirstBytes() {
        return Stream.of(
                Arguments.of("garbage", new byte[] {0, 1, 'g', 'a', 'r', 'b', 'a', 'g', 'e'}, "garbage"),
                Arguments.of("oversized native length", new byte[] {0, 0x10, 0, 0, 1, 2, 0, 0, 0, 0, 1}, "oversized"),
                Arguments.of("another HTTP method", bytes("POST /ws HTTP/1.1\r\n\r\n"), "http-method"),
                Arguments.of("HTTP request to another path",
                        bytes("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n"), "http-path"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unwelcomeFirstBytes")
    void unwelcomeFirstBytesAreClosedAndCounted(String name, byte[] first, String reason) throws IOException {
        double before = rejected(reason);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(first);
            socket.getOutputStream().flush();

            String answer = readToEnd(socket.getInputStream());
            if (reason.equals("http-path")) {
                assertThat(answer).startsWith("HTTP/1.1 404");
            } else if (reason.equals("oversized")) {
                // A native client whose first frame is too large is told why before the close.
                byte[] bytes = answer.getBytes(StandardCharsets.ISO_8859_1);
                Frame frame = FrameCodec.decode(Unpooled.wrappedBuffer(bytes, 4, bytes.length - 4));
                assertThat(frame).isInstanceOfSatisfying(Frame.Disconnect.class,
                        d -> assertThat(d.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE));
            } else {
                assertThat(answer).isEmpty();
            }
        }
        await().atMost(WAIT).until(() -> rejected(reason) == before + 1);
        assertThat(logs.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getThrowableProxy() != null);
    }

    @Test
    void truncatedFirstBytesAreCountedAndClosedQuietly() throws IOException {
        double before = rejected("truncated");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(new byte[] {0, 0});
            socket.getOutputStream().flush();
        }
        await().atMost(WAIT).until(() -> rejected("truncated") == before + 1);
        assertThat(logs.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR));
    }

    /** Reads until the server closes (EOF), failing on the read timeout. */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    // --- WebSocket ---------------------------------------------------------------------------

    @Test
    void webSocketDeviceGetsBacklogUnicastAndBroadcastAndItsAckReachesTheSaver() {
        String deviceId = newDevice();
        String missed = MessageId.generate().toString();
        saver.backlog(DEMO, deviceId, List.of(
                new OfflineApi.OfflineMessage(missed, DEMO, false, 0, bytes("missed"), inOneHour())));
        try (WsDevice device = new WsDevice(deviceId, port);
             TestDevice nativeDevice = TestDevice.connected(port, newDevice(), DEMO, DEMO_SECRET)) {
            Frame.ConnAck ack = device.connect(List.of(
                    new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId), 0)));
            assertThat(ack.code()).isEqualTo(ErrorCode.OK);

            Frame.Push replayed = device.next(Frame.Push.class);
            assertThat(replayed.messageId().toString()).isEqualTo(missed);
            assertThat(replayed.replay()).isTrue();

            String unicast = MessageId.generate().toString();
            String broadcast = MessageId.generate().toString();
            xadd(new DeliveryCommand(unicast, DEMO, false, 0, List.of(deviceId), bytes("hello ws"), inOneHour()));
            xadd(new DeliveryCommand(broadcast, DEMO, true, 5, List.of(), bytes("to all"), inOneHour()));

            Frame.Push first = device.next(Frame.Push.class);
            assertThat(first.messageId().toString()).isEqualTo(unicast);
            assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("hello ws");
            Frame.Push second = device.next(Frame.Push.class);
            assertThat(second.messageId().toString()).isEqualTo(broadcast);
            assertThat(second.broadcastSeq()).isEqualTo(5);
            // The same encoded broadcast reaches a native TCP connection too.
            assertThat(nativeDevice.next(Frame.Push.class).messageId().toString()).isEqualTo(broadcast);

            device.send(new Frame.Ack(7, List.of(first.messageId()), List.of(new Frame.Cursor(DEMO, 5))));
            awaitAcked(DEMO, deviceId, unicast);

            device.send(new Frame.Ping(8));
            assertThat(device.next(Frame.Pong.class).seq()).isEqualTo(8);
        }
    }

    private double connections(String protocol) {
        return meters.get("herald.access.connections").tag("protocol", protocol).gauge().value();
    }

    @Test
    void theConnectionGaugeCountsEachProtocolWhileItsConnectionsAreOpen() throws Exception {
        double nativeBefore = connections("native");
        double webSocketBefore = connections("websocket");
        double mqttBefore = connections("mqtt");
        String mqttDevice = newDevice();
        MqttClient mqtt = paho(mqttDevice, new LinkedBlockingQueue<>());
        try (WsDevice ws = new WsDevice(newDevice(), port);
             TestDevice tcp = TestDevice.connected(port, newDevice(), DEMO, DEMO_SECRET)) {
            assertThat(ws.connect(List.of(new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, ws.deviceId), 0)))
                    .code()).isEqualTo(ErrorCode.OK);
            mqtt.connect(options(DEMO, TestDevice.token(DEMO, DEMO_SECRET, mqttDevice)));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(connections("native")).isEqualTo(nativeBefore + 1);
                assertThat(connections("websocket")).isEqualTo(webSocketBefore + 1);
                assertThat(connections("mqtt")).isEqualTo(mqttBefore + 1);
            });
        } finally {
            closeQuietly(mqtt);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(connections("native")).isEqualTo(nativeBefore);
            assertThat(connections("websocket")).isEqualTo(webSocketBefore);
            assertThat(connections("mqtt")).isEqualTo(mqttBefore);
        });
    }

    @Test
    void webSocketTextMessageIsClosedWithUnsupportedData() {
        try (WsDevice device = new WsDevice(newDevice(), port)) {
            device.socket.sendText("hello", true).join();

            assertThat(device.closed).succeedsWithin(WAIT).isEqualTo(1003);
        }
    }

    // --- CONNACK means routed -------------------------------------------------------------------

    private boolean routed(String appId, String deviceId) {
        return NODE.equals(redis.opsForValue().get(RedisKeys.route(appId, deviceId)).block(WAIT));
    }

    /** Route writes are batched (5 ms); the CONNACK waits for the batch, so the route is there when it arrives. */
    @Test
    void theRouteIsInRedisWhenTheNativeOrWebSocketConnAckArrives() {
        for (int i = 0; i < 20; i++) {
            String deviceId = newDevice();
            try (TestDevice device = TestDevice.connected(port, deviceId, DEMO, DEMO_SECRET)) {
                assertThat(routed(DEMO, deviceId)).as("route of %s at its native CONNACK", deviceId).isTrue();
            }
            String wsDeviceId = newDevice();
            try (WsDevice device = new WsDevice(wsDeviceId, port)) {
                Frame.ConnAck connAck = device.connect(List.of(
                        new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, wsDeviceId), 0)));
                assertThat(connAck.code()).isEqualTo(ErrorCode.OK);
                assertThat(routed(DEMO, wsDeviceId)).as("route of %s at its WebSocket CONNACK", wsDeviceId).isTrue();
            }
        }
    }

    @Test
    void theRoutesAreInRedisWhenTheMqttConnAckArrives() throws Exception {
        for (int i = 0; i < 20; i++) {
            String deviceId = newDevice();
            MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
            try {
                // MqttClient.connect returns once CONNACK 0 has arrived.
                client.connect(options(DEMO + "," + OTHER, TestDevice.token(DEMO, DEMO_SECRET, deviceId) + ","
                        + TestDevice.token(OTHER, OTHER_SECRET, deviceId)));
                assertThat(routed(DEMO, deviceId)).as("route of %s in %s at its CONNACK", deviceId, DEMO).isTrue();
                assertThat(routed(OTHER, deviceId)).as("route of %s in %s at its CONNACK", deviceId, OTHER).isTrue();
            } finally {
                closeQuietly(client);
            }
        }
    }

    // --- uplink ------------------------------------------------------------------------------

    private List<UplinkMessage> uplinks() {
        return redis.opsForStream().range(RedisKeys.uplink("default"), Range.unbounded())
                .map(entry -> json.readValue(String.valueOf(entry.getValue().get(RedisKeys.STREAM_FIELD)),
                        UplinkMessage.class))
                .collectList()
                .block(WAIT);
    }

    @Test
    void nativeUplinkIsStoredThenAcknowledgedWithItsId() {
        String deviceId = newDevice();
        try (TestDevice device = TestDevice.connected(port, deviceId, DEMO, DEMO_SECRET)) {
            device.send(new Frame.Uplink(77, DEMO, bytes("up native")));

            Frame.UplinkAck ack = device.next(Frame.UplinkAck.class);
            assertThat(ack.seq()).isEqualTo(77);
            assertThat(uplinks()).anySatisfy(message -> {
                assertThat(message.id()).isEqualTo(ack.messageId().toString());
                assertThat(message.appId()).isEqualTo(DEMO);
                assertThat(message.deviceId()).isEqualTo(deviceId);
                assertThat(message.payload()).isEqualTo(bytes("up native"));
                assertThat(message.nodeId()).isEqualTo(NODE);
            });
        }
    }

    @Test
    void webSocketUplinkIsStoredThenAcknowledged() {
        String deviceId = newDevice();
        try (WsDevice device = new WsDevice(deviceId, port)) {
            device.connect(List.of(new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId), 0)));
            device.send(new Frame.Uplink(5, DEMO, bytes("up ws")));

            Frame.UplinkAck ack = device.next(Frame.UplinkAck.class);
            assertThat(uplinks()).anySatisfy(message ->
                    assertThat(message.id()).isEqualTo(ack.messageId().toString()));
        }
    }

    @Test
    void uplinkForAnAppNotLoggedInIsRejectedAndTheConnectionStays() {
        String deviceId = newDevice();
        try (TestDevice device = TestDevice.open(deviceId, port)) {
            device.connect(List.of(new Frame.AppLogin(OTHER, TestDevice.token(OTHER, OTHER_SECRET, deviceId), 0)));

            device.send(new Frame.Uplink(11, DEMO, bytes("not mine")));
            Frame.ErrorFrame notLoggedIn = device.next(Frame.ErrorFrame.class);
            assertThat(notLoggedIn.seq()).isEqualTo(11);
            assertThat(notLoggedIn.code()).isEqualTo(ErrorCode.UPLINK_REJECTED);
            assertThat(device.isOpen()).isTrue();
        }
    }

    /** The app's callback URL is the dispatcher's business: it dead-letters such an uplink at once. */
    @Test
    void uplinkForAnAppWithoutCallbackUrlIsStoredAndAcknowledgedLikeAnyOther() {
        String deviceId = newDevice();
        try (TestDevice device = TestDevice.open(deviceId, port)) {
            device.connect(List.of(new Frame.AppLogin(OTHER, TestDevice.token(OTHER, OTHER_SECRET, deviceId), 0)));

            device.send(new Frame.Uplink(12, OTHER, bytes("no callback")));
            Frame.UplinkAck ack = device.next(Frame.UplinkAck.class);
            assertThat(ack.seq()).isEqualTo(12);
            assertThat(uplinks()).anySatisfy(message -> {
                assertThat(message.id()).isEqualTo(ack.messageId().toString());
                assertThat(message.appId()).isEqualTo(OTHER);
            });
            assertThat(device.isOpen()).isTrue();
        }
    }

    @Test
    void mqttQos1UplinkForAnAppWithoutCallbackUrlIsPubackedAndTheConnectionStays() throws Exception {
        String deviceId = newDevice();
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            client.connect(options(OTHER, TestDevice.token(OTHER, OTHER_SECRET, deviceId)));
            MqttMessage up = new MqttMessage(bytes("no callback over mqtt"));
            up.setQos(1);
            client.setTimeToWait(WAIT.toMillis());

            // Returns once the PUBACK has arrived; fails if the connection is lost instead.
            client.publish("herald/" + OTHER + "/up", up);

            assertThat(uplinks()).anySatisfy(message -> {
                assertThat(message.appId()).isEqualTo(OTHER);
                assertThat(message.deviceId()).isEqualTo(deviceId);
            });
            assertThat(client.isConnected()).isTrue();
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void mqttQos1PublishToTheUplinkTopicIsStoredThenPubacked() throws Exception {
        String deviceId = newDevice();
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            client.connect(options(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId)));
            MqttMessage up = new MqttMessage(bytes("up mqtt"));
            up.setQos(1);

            // MqttClient.publish at QoS 1 returns once the PUBACK has arrived.
            client.publish("herald/demo/up", up);

            assertThat(uplinks()).anySatisfy(message -> {
                assertThat(message.deviceId()).isEqualTo(deviceId);
                assertThat(message.payload()).isEqualTo(bytes("up mqtt"));
            });
            assertThat(client.isConnected()).isTrue();
        } finally {
            closeQuietly(client);
        }
    }

    // --- MQTT --------------------------------------------------------------------------------

    /** Messages a Paho client received, by arrival. */
    private record Arrived(String topic, String payload) {
    }

    private static MqttClient paho(String deviceId, BlockingQueue<Arrived> arrived) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrived.add(new Arrived(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        return client;
    }

    private static MqttConnectOptions options(String username, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        return options;
    }

    private static Arrived next(BlockingQueue<Arrived> arrived) throws InterruptedException {
        Arrived message = arrived.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(message).as("MQTT message within %s", WAIT).isNotNull();
        return message;
    }

    private static void closeQuietly(MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            // the test has its answer already
        }
    }

    @Test
    void pahoClientGetsBacklogUnicastAndBroadcastAndItsPubacksReachTheSaver() throws Exception {
        String deviceId = newDevice();
        String missed = MessageId.generate().toString();
        saver.backlog(DEMO, deviceId, List.of(
                new OfflineApi.OfflineMessage(missed, DEMO, false, 0, bytes("missed"), inOneHour())));
        BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
        MqttClient client = paho(deviceId, arrived);
        try {
            client.connect(options(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId)));
            IMqttToken subscribed = client.subscribeWithResponse(
                    new String[] {"herald/demo/devices/" + deviceId, "herald/demo/broadcast"}, new int[] {1, 1});
            assertThat(subscribed.getGrantedQos()).containsExactly(1, 1);

            assertThat(next(arrived)).isEqualTo(new Arrived("herald/demo/devices/" + deviceId, "missed"));
            awaitAcked(DEMO, deviceId, missed);

            String unicast = MessageId.generate().toString();
            String broadcast = MessageId.generate().toString();
            xadd(new DeliveryCommand(unicast, DEMO, false, 0, List.of(deviceId), bytes("hello mqtt"), inOneHour()));
            xadd(new DeliveryCommand(broadcast, DEMO, true, 9, List.of(), bytes("to all"), inOneHour()));

            assertThat(next(arrived)).isEqualTo(new Arrived("herald/demo/devices/" + deviceId, "hello mqtt"));
            assertThat(next(arrived)).isEqualTo(new Arrived("herald/demo/broadcast", "to all"));
            awaitAcked(DEMO, deviceId, unicast);
            // The PUBACK of a live broadcast is counted on the node; the cursor reaches the offline store when
            // the connection ends (AckForwarder).
            client.disconnect(1000);
            await().atMost(WAIT).untilAsserted(() -> assertThat(OfflineStoreView.cursor(redis, DEMO, deviceId)).isEqualTo(9));
            assertThat(OfflineStoreView.acked(redis, DEMO, deviceId)).doesNotContain(broadcast);
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void multiAppMqttLoginReceivesBothAppsAndNothingOfAThird() throws Exception {
        String deviceId = newDevice();
        BlockingQueue<Arrived> arrived = new LinkedBlockingQueue<>();
        MqttClient client = paho(deviceId, arrived);
        try {
            client.connect(options(DEMO + "," + OTHER, TestDevice.token(DEMO, DEMO_SECRET, deviceId) + ","
                    + TestDevice.token(OTHER, OTHER_SECRET, deviceId)));
            IMqttToken subscribed = client.subscribeWithResponse(new String[] {
                    "herald/demo/devices/" + deviceId, "herald/other/devices/" + deviceId,
                    "herald/other/broadcast", "herald/news/broadcast"}, new int[] {1, 1, 1, 1});
            assertThat(subscribed.getGrantedQos()).containsExactly(1, 1, 1, 0x80);

            xadd(new DeliveryCommand(MessageId.generate().toString(), DEMO, false, 0, List.of(deviceId),
                    bytes("demo"), inOneHour()));
            xadd(new DeliveryCommand(MessageId.generate().toString(), NEWS, false, 0, List.of(deviceId),
                    bytes("news unicast"), inOneHour()));
            xadd(new DeliveryCommand(MessageId.generate().toString(), NEWS, true, 3, List.of(),
                    bytes("news broadcast"), inOneHour()));
            xadd(new DeliveryCommand(MessageId.generate().toString(), OTHER, false, 0, List.of(deviceId),
                    bytes("other"), inOneHour()));
            xadd(new DeliveryCommand(MessageId.generate().toString(), OTHER, true, 4, List.of(),
                    bytes("other broadcast"), inOneHour()));

            // Delivery keeps stream order on one connection: once the last one is in, nothing else is coming.
            assertThat(List.of(next(arrived), next(arrived), next(arrived))).containsExactly(
                    new Arrived("herald/demo/devices/" + deviceId, "demo"),
                    new Arrived("herald/other/devices/" + deviceId, "other"),
                    new Arrived("herald/other/broadcast", "other broadcast"));
            assertThat(arrived).isEmpty();
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void mqttBadTokenIsRefusedAsBadUsernameOrPassword() throws Exception {
        String deviceId = newDevice();
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            assertThatThrownBy(() -> client.connect(options(DEMO, "not-a-token")))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void mqttTokenIssuedBeforeItsDevicesRevocationIsRefusedAsNotAuthorized() throws Exception {
        String deviceId = newDevice();
        String token = TestDevice.token(DEMO, DEMO_SECRET, deviceId);
        redis.opsForValue().set(RedisKeys.revoked(DEMO, deviceId), Long.toString(System.currentTimeMillis() + 1))
                .block(WAIT);
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            // 5, like an expired token: the credentials were genuine, the device needs a new token.
            assertThatThrownBy(() -> client.connect(options(DEMO, token)))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void mqttWillIsRefusedAsNotAuthorized() throws Exception {
        String deviceId = newDevice();
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            MqttConnectOptions options = options(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId));
            options.setWill("herald/demo/up", bytes("gone"), 1, false);
            assertThatThrownBy(() -> client.connect(options))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        } finally {
            closeQuietly(client);
        }
    }

    @Test
    void mqttRetainedPublishClosesTheConnection() throws Exception {
        String deviceId = newDevice();
        MqttClient client = paho(deviceId, new LinkedBlockingQueue<>());
        try {
            client.connect(options(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId)));
            MqttMessage retained = new MqttMessage(bytes("keep me"));
            retained.setQos(0);
            retained.setRetained(true);
            // Paho can wait forever for a QoS 0 publish whose connection closes under it: bound the wait;
            // whether the publish call returns or fails, the connection must end.
            client.setTimeToWait(WAIT.toMillis());
            try {
                client.publish("herald/demo/up", retained);
            } catch (MqttException expectedWhenClosedUnderIt) {
                // the close this test expects
            }

            await().atMost(WAIT).until(() -> !client.isConnected());
        } finally {
            closeQuietly(client);
        }
    }
}
