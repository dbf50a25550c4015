package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.client.PushClientException;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The suite's two apps, {@code demo} (A) and {@code other} (B), side by side: A's credentials can never
 * push to, query, mint for or read the dead letters of B, over every REST endpoint and with both ways of
 * authenticating; A's own paths never reveal B's messages or dead letters; a device id that exists in
 * both apps is two separate devices; and a device token of A opens no connection as B on any protocol.
 */
@ExtendWith(HeraldSuite.class)
class TenantIsolationTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final HeraldSuite suite = HeraldSuite.get();
    private final PushApi a = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
    private final PushApi aBasic = PushApi.basic(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY,
            HeraldSuite.APP_SECRET);
    private final PushApi b = new PushApi(suite.api.baseUrl(), HeraldSuite.OTHER_APP, HeraldSuite.OTHER_KEY,
            HeraldSuite.OTHER_SECRET);

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One REST call on some app's path. */
    private record Call(String method, String path, String body) {
        PushApi.Reply by(PushApi api) {
            return switch (method) {
                case "GET" -> api.get(path);
                case "DELETE" -> api.delete(path);
                default -> api.post(path, body);
            };
        }
    }

    /** Every endpoint of the API, aimed at {@code app}'s path, with B's message and dead letter ids. */
    private static List<Call> everyEndpointOf(String app, String messageId, String deadLetterId) {
        String base = "/v1/apps/" + app;
        return List.of(
                new Call("POST", base + "/messages", "{\"deviceId\":\"victim\",\"text\":\"from A\"}"),
                new Call("POST", base + "/messages", "{\"broadcast\":true,\"text\":\"from A\"}"),
                new Call("POST", base + "/messages/batch", "{\"messages\":[{\"deviceId\":\"victim\",\"text\":\"from A\"}]}"),
                new Call("GET", base + "/messages/" + messageId, null),
                new Call("POST", base + "/device-tokens", "{\"deviceId\":\"victim\"}"),
                new Call("POST", base + "/devices/victim/revoke-tokens", null),
                new Call("GET", base + "/uplink/dead-letters", null),
                new Call("GET", base + "/uplink/dead-letters/" + deadLetterId, null),
                new Call("POST", base + "/uplink/dead-letters/" + deadLetterId + "/replay", "{}"),
                new Call("DELETE", base + "/uplink/dead-letters/" + deadLetterId, null));
    }

    @Test
    void appACredentialsAreForbiddenOnEveryEndpointOfAppB() {
        String bMessage = b.accepted("{\"deviceId\":\"" + unique("b-dev-") + "\",\"text\":\"B's own\",\"offline\":true}");
        String bDeadLetter = deadLetterOf(HeraldSuite.OTHER_APP, unique("b-dev-"));

        for (PushApi asA : List.of(a, aBasic)) {
            for (Call call : everyEndpointOf(HeraldSuite.OTHER_APP, bMessage, bDeadLetter)) {
                PushApi.Reply reply = call.by(asA);
                assertThat(reply.status()).as("%s %s", call.method(), call.path()).isEqualTo(403);
                assertThat(reply.contentType()).startsWith("application/problem+json");
                assertThat(reply.text("code")).isEqualTo("FORBIDDEN");
                assertThat(reply.body().toString()).doesNotContain("B's own").doesNotContain("token\":");
            }
        }

        // B's message and dead letter are untouched and still B's.
        assertThat(b.status(bMessage).status()).isEqualTo(200);
        assertThat(b.status(bMessage).text("appId")).isEqualTo(HeraldSuite.OTHER_APP);
        assertThat(b.get("/v1/apps/other/uplink/dead-letters/" + bDeadLetter).status()).isEqualTo(200);
    }

    @Test
    void appAsOwnPathsNeverRevealAppBsMessagesOrDeadLetters() {
        String bMessage = b.accepted("{\"deviceId\":\"" + unique("b-dev-") + "\",\"text\":\"B's own\",\"offline\":true}");
        String bDeadLetter = deadLetterOf(HeraldSuite.OTHER_APP, unique("b-dev-"));
        String unknownMessage = MessageId.generate().toString();

        // Exactly like an id that does not exist: nothing tells A that B has it.
        PushApi.Reply status = a.status(bMessage);
        assertThat(status.status()).isEqualTo(404);
        assertThat(status.body().toString()).doesNotContain(HeraldSuite.OTHER_APP);
        assertThat(a.status(unknownMessage).status()).isEqualTo(404);
        assertThat(a.get("/v1/apps/demo/uplink/dead-letters/" + bDeadLetter).status()).isEqualTo(404);
        assertThat(a.post("/v1/apps/demo/uplink/dead-letters/" + bDeadLetter + "/replay", "{}").status()).isEqualTo(404);
        assertThat(a.delete("/v1/apps/demo/uplink/dead-letters/" + bDeadLetter).status()).isEqualTo(404);
        PushApi.Reply list = a.get("/v1/apps/demo/uplink/dead-letters?limit=1000");
        assertThat(list.status()).isEqualTo(200);
        for (JsonNode letter : list.body()) {
            assertThat(letter.path("appId").asText()).isEqualTo(HeraldSuite.APP);
            assertThat(letter.path("id").asText()).isNotEqualTo(bDeadLetter);
        }

        assertThat(b.get("/v1/apps/other/uplink/dead-letters/" + bDeadLetter).status()).as("B's dead letter survived")
                .isEqualTo(200);
        assertThat(b.status(bMessage).status()).isEqualTo(200);
    }

    @Test
    void aSignatureMadeWithAppBsSecretUnderAppAsKeyIsUnauthorized() {
        PushApi forged = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.OTHER_SECRET);
        PushApi.Reply reply = forged.send("{\"broadcast\":true,\"text\":\"forged\"}");
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.text("code")).isEqualTo("UNAUTHORIZED");
        PushApi forgedBasic = PushApi.basic(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY,
                HeraldSuite.OTHER_SECRET);
        assertThat(forgedBasic.send("{\"broadcast\":true,\"text\":\"forged\"}").status()).isEqualTo(401);
    }

    @Test
    void theSameDeviceIdInTwoAppsIsTwoDevicesThatNeverSeeEachOthersPushes() {
        String deviceId = unique("twin-");
        try (Device inA = new Device(HeraldSuite.APP, deviceId, a.token(deviceId)).connect(suite.access1Port);
             Device inB = new Device(HeraldSuite.OTHER_APP, deviceId, b.token(deviceId)).connect(suite.access2Port)) {
            String toA = a.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"for A's twin\",\"offline\":true}");
            String broadcastA = a.accepted("{\"broadcast\":true,\"text\":\"A broadcast " + deviceId + "\",\"offline\":false}");
            String toB = b.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"for B's twin\",\"offline\":true}");

            await().atMost(DELIVERY).until(() -> inA.count(toA) == 1 && inA.count(broadcastA) == 1 && inB.count(toB) == 1);
            // B's device got its own message, sent after A's: A's would have come first on the same path.
            await().atMost(DELIVERY).until(() -> b.status(toB).number("delivered") == 1);
            assertThat(inB.count(toA)).isZero();
            assertThat(inB.count(broadcastA)).isZero();
            assertThat(inA.count(toB)).isZero();
            assertThat(a.status(toA).number("delivered")).isEqualTo(1);
        }
    }

    @Test
    void aDeviceTokenOfAppAOpensNoConnectionAsAppBOnAnyProtocol() throws Exception {
        String deviceId = unique("cross-");
        String tokenOfA = a.token(deviceId);

        // native
        assertThat(nativeRefusal(deviceId, HeraldSuite.OTHER_APP, tokenOfA)).isEqualTo(ErrorCode.BAD_TOKEN);
        // WebSocket
        try (WsLogin ws = WsLogin.open(suite.access2Port)) {
            Frame.ConnAck ack = ws.connect(deviceId, HeraldSuite.OTHER_APP, tokenOfA);
            assertThat(ack.code()).isEqualTo(ErrorCode.BAD_TOKEN);
        }
        // MQTT: user name = app, password = token
        MqttClient mqtt = new MqttClient("tcp://127.0.0.1:" + suite.access1Port, deviceId, new MemoryPersistence());
        try {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setAutomaticReconnect(false);
            options.setUserName(HeraldSuite.OTHER_APP);
            options.setPassword(tokenOfA.toCharArray());
            assertThatThrownBy(() -> mqtt.connect(options))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
        } finally {
            mqtt.close(true);
        }
        // ... while the same token works for A, as the control.
        try (Device inA = new Device(HeraldSuite.APP, deviceId, tokenOfA).connect(suite.access1Port)) {
            assertThat(inA.connected()).isTrue();
        }
    }

    /** Puts a dead letter into {@code app}'s stream as the dispatcher does, and returns its id. */
    private String deadLetterOf(String app, String deviceId) {
        UplinkMessage uplink = new UplinkMessage(MessageId.generate().toString(), app, deviceId,
                "secret telemetry".getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), "access-1");
        String json = PushApi.JSON.writeValueAsString(new UplinkDeadLetter(uplink, 3, "HTTP 500", System.currentTimeMillis()));
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + suite.redis.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().xadd(RedisKeys.uplinkDeadLetters(app), Map.of(RedisKeys.STREAM_FIELD, json));
        } finally {
            client.shutdown();
        }
    }

    private ErrorCode nativeRefusal(String deviceId, String appId, String token) {
        PushClient client = PushClient.builder()
                .server("127.0.0.1", suite.access1Port)
                .deviceId(deviceId)
                .app(appId, token)
                .reconnect(false)
                .build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            throw new AssertionError("a token of another app was accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PushClientException.class);
            return ((PushClientException) e.getCause()).code();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            client.close();
        }
    }

    /** Just enough of a WebSocket device to log in: native frames in binary messages. */
    private static final class WsLogin implements WebSocket.Listener, AutoCloseable {
        private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private WebSocket socket;

        static WsLogin open(int port) throws Exception {
            WsLogin login = new WsLogin();
            login.socket = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("herald.v1")
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), login).get(10, TimeUnit.SECONDS);
            return login;
        }

        Frame.ConnAck connect(String deviceId, String appId, String token) throws InterruptedException {
            ByteBuf buf = FrameCodec.encode(ByteBufAllocator.DEFAULT, new Frame.Connect(1, 60, deviceId, appId, token, 0));
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
            } finally {
                buf.release();
            }
            Frame frame = frames.poll(10, TimeUnit.SECONDS);
            assertThat(frame).isInstanceOf(Frame.ConnAck.class);
            return (Frame.ConnAck) frame;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.writeBytes(bytes);
            if (last) {
                ByteBuf message = Unpooled.wrappedBuffer(partial.toByteArray());
                partial.reset();
                message.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
                frames.add(FrameCodec.decode(message));
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
