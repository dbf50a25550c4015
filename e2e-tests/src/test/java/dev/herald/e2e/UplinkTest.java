package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.CallbackSignature;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** Device → Herald → app server: uplinks reach the app's callback signed, and failures end in the dead-letter list. */
@ExtendWith(HeraldSuite.class)
class UplinkTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final HeraldSuite suite = HeraldSuite.get();

    private record AppUnderTest(String id, String secret, PushApi api) {
    }

    private AppUnderTest appWithCallback(CallbackReceiver receiver) {
        String appId = "up-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "secret-" + UUID.randomUUID();
        suite.admin().createAppWithCallback(appId, appId + "-key", secret, receiver.url());
        PushApi api = new PushApi(suite.api.baseUrl(), appId, appId + "-key", secret);
        await().atMost(Duration.ofSeconds(5)).until(() -> api.post("/v1/apps/" + appId + "/device-tokens",
                "{\"deviceId\":\"probe\"}").status() == 201);
        return new AppUnderTest(appId, secret, api);
    }

    /** An app whose config has no callbackUrl. */
    private AppUnderTest appWithoutCallback() {
        String appId = "nocb-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = "secret-" + UUID.randomUUID();
        suite.admin().createApp(appId, appId + "-key", secret, "default");
        PushApi api = new PushApi(suite.api.baseUrl(), appId, appId + "-key", secret);
        await().atMost(Duration.ofSeconds(5)).until(() -> api.post("/v1/apps/" + appId + "/device-tokens",
                "{\"deviceId\":\"probe\"}").status() == 201);
        return new AppUnderTest(appId, secret, api);
    }

    @Test
    void anUplinkReachesTheAppCallbackWithAValidSignature() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            AppUnderTest app = appWithCallback(receiver);
            String deviceId = "dev-" + UUID.randomUUID();
            try (Device device = new Device(app.id(), deviceId, app.api().token(deviceId)).connect(suite.access1Port)) {
                MessageId id = device.uplink("temperature=21.5").get(10, TimeUnit.SECONDS);

                await().atMost(DELIVERY).until(() -> !receiver.requests().isEmpty());
                CallbackReceiver.Request request = receiver.requests().get(0);
                assertThat(CallbackSignature.verify(app.secret(), request.timestamp(), request.signature(), request.body(),
                        Instant.now())).isTrue();
                assertThat(CallbackSignature.verify("some-other-secret-0123", request.timestamp(), request.signature(),
                        request.body(), Instant.now())).isFalse();
                JsonNode body = PushApi.JSON.readTree(request.body());
                assertThat(body.path("id").asText()).isEqualTo(id.toString());
                assertThat(body.path("appId").asText()).isEqualTo(app.id());
                assertThat(body.path("deviceId").asText()).isEqualTo(deviceId);
                assertThat(new String(Base64.getDecoder().decode(body.path("payload").asText()))).isEqualTo("temperature=21.5");
            }
        }
    }

    @Test
    void mosquittoPubSendsAnUplinkOverMqtt() throws Exception {
        java.io.File pub = new java.io.File("/usr/bin/mosquitto_pub");
        Prerequisites.require(pub.canExecute(),
                "mosquitto_pub (apt-get install -y mosquitto-clients; .ci/run does)");
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            AppUnderTest app = appWithCallback(receiver);
            String deviceId = "mosq-" + UUID.randomUUID().toString().substring(0, 8);
            Process process = new ProcessBuilder(pub.getPath(), "-h", "127.0.0.1", "-p", String.valueOf(suite.access1Port),
                    "-V", "mqttv311", "-i", deviceId, "-u", app.id(), "-P", app.api().token(deviceId), "-q", "1",
                    "-t", "herald/" + app.id() + "/up", "-m", "door=open").redirectErrorStream(true).start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();

            await().atMost(DELIVERY).until(() -> !receiver.requests().isEmpty());
            CallbackReceiver.Request request = receiver.requests().get(0);
            assertThat(CallbackSignature.verify(app.secret(), request.timestamp(), request.signature(), request.body(),
                    Instant.now())).isTrue();
            JsonNode body = PushApi.JSON.readTree(request.body());
            assertThat(body.path("deviceId").asText()).isEqualTo(deviceId);
            assertThat(new String(Base64.getDecoder().decode(body.path("payload").asText()))).isEqualTo("door=open");
        }
    }

    @Test
    void aFailingCallbackIsRetriedThenDeadLetteredAndCanBeReplayed() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            receiver.answer(500);
            AppUnderTest app = appWithCallback(receiver);
            String deviceId = "dev-" + UUID.randomUUID();
            try (Device device = new Device(app.id(), deviceId, app.api().token(deviceId)).connect(suite.access2Port)) {
                MessageId id = device.uplink("will fail at first").get(10, TimeUnit.SECONDS);

                // The suite's dispatcher makes 3 attempts with short back-off, then parks it as a dead letter.
                await().atMost(DELIVERY).until(() -> deadLetter(app, id) != null);
                JsonNode letter = deadLetter(app, id);
                assertThat(letter.path("attempts").asInt()).isEqualTo(3);
                assertThat(letter.path("lastError").asText()).contains("500");
                assertThat(receiver.requests()).hasSize(3);

                // The dead letter is named by the uplink's id, the one the device got in UPLINK_ACK.
                PushApi.Reply byMessageId = app.api().get("/v1/apps/" + app.id() + "/uplink/dead-letters/" + id);
                assertThat(byMessageId.status()).isEqualTo(200);
                assertThat(byMessageId.text("id")).isEqualTo(letter.path("id").asText());

                receiver.answer(200);
                PushApi.Reply replay = app.api().post("/v1/apps/" + app.id() + "/uplink/dead-letters/" + id + "/replay", "{}");
                assertThat(replay.status()).isEqualTo(202);
                await().atMost(DELIVERY).until(() -> receiver.requests().size() == 4);
                assertThat(PushApi.JSON.readTree(receiver.requests().get(3).body()).path("id").asText()).isEqualTo(id.toString());
                assertThat(deadLetter(app, id)).isNull();
            }
        }
    }

    @Test
    void aNativeUplinkToAnAppWithoutCallbackUrlIsAcknowledgedAndDeadLetteredAtOnce() throws Exception {
        AppUnderTest app = appWithoutCallback();
        String deviceId = "dev-" + UUID.randomUUID();
        try (Device device = new Device(app.id(), deviceId, app.api().token(deviceId)).connect(suite.access1Port)) {
            MessageId id = device.uplink("hi").get(10, TimeUnit.SECONDS);

            await().atMost(DELIVERY).until(() -> deadLetter(app, id) != null);
            assertNoCallbackDeadLetter(deadLetter(app, id), app, deviceId);
            assertThat(device.connected()).isTrue();
        }
    }

    /**
     * Found by trying Herald as a new user would: {@code mosquitto_pub -q 1 -t herald/<app>/up -m hi} for an
     * app without callbackUrl ended in "The connection was lost" and no dead letter. MQTT 3.1.1 cannot refuse
     * one PUBLISH, so the uplink is taken, PUBACKed and dead-lettered at once.
     */
    @Test
    void anMqttQos1UplinkToAnAppWithoutCallbackUrlIsPubackedKeepsTheConnectionAndIsDeadLettered() throws Exception {
        AppUnderTest app = appWithoutCallback();
        String deviceId = "mqtt-" + UUID.randomUUID().toString().substring(0, 8);
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + suite.access2Port, deviceId, new MemoryPersistence());
        try {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setUserName(app.id());
            options.setPassword(app.api().token(deviceId).toCharArray());
            options.setAutomaticReconnect(false);
            client.connect(options);
            client.setTimeToWait(10_000);
            MqttMessage up = new MqttMessage("hi".getBytes(StandardCharsets.UTF_8));
            up.setQos(1);

            // Returns once the PUBACK has arrived; throws if the connection is lost instead.
            client.publish("herald/" + app.id() + "/up", up);

            assertThat(client.isConnected()).isTrue();
            await().atMost(DELIVERY).until(() -> deadLetterOf(app, deviceId) != null);
            assertNoCallbackDeadLetter(deadLetterOf(app, deviceId), app, deviceId);
            assertThat(client.isConnected()).as("still connected after the dead-lettering").isTrue();
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    void mosquittoPubToAnAppWithoutCallbackUrlSucceedsAndTheUplinkIsDeadLettered() throws Exception {
        java.io.File pub = new java.io.File("/usr/bin/mosquitto_pub");
        Prerequisites.require(pub.canExecute(),
                "mosquitto-clients not installed (apt-get install -y mosquitto-clients; .ci/run does)");
        AppUnderTest app = appWithoutCallback();
        String deviceId = "mosq-" + UUID.randomUUID().toString().substring(0, 8);
        Process process = new ProcessBuilder(pub.getPath(), "-h", "127.0.0.1", "-p", String.valueOf(suite.access1Port),
                "-V", "mqttv311", "-i", deviceId, "-u", app.id(), "-P", app.api().token(deviceId), "-q", "1",
                "-t", "herald/" + app.id() + "/up", "-m", "hi").redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("connection was lost");

        await().atMost(DELIVERY).until(() -> deadLetterOf(app, deviceId) != null);
        assertNoCallbackDeadLetter(deadLetterOf(app, deviceId), app, deviceId);
    }

    private static void assertNoCallbackDeadLetter(JsonNode letter, AppUnderTest app, String deviceId) {
        assertThat(letter.path("attempts").asInt()).isZero();
        assertThat(letter.path("lastError").asText()).isEqualTo("app " + app.id() + " has no callbackUrl");
        assertThat(letter.path("deviceId").asText()).isEqualTo(deviceId);
        assertThat(new String(Base64.getDecoder().decode(letter.path("payload").asText()), StandardCharsets.UTF_8))
                .isEqualTo("hi");
    }

    /** The app's dead letter of the device's uplink, as push-api lists it, or null. */
    private static JsonNode deadLetterOf(AppUnderTest app, String deviceId) {
        PushApi.Reply reply = app.api().get("/v1/apps/" + app.id() + "/uplink/dead-letters");
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode letter : reply.body()) {
            if (letter.path("deviceId").asText().equals(deviceId)) {
                return letter;
            }
        }
        return null;
    }

    /** The app's dead letter for an uplink, as push-api lists it, or null. */
    private static JsonNode deadLetter(AppUnderTest app, MessageId messageId) {
        PushApi.Reply reply = app.api().get("/v1/apps/" + app.id() + "/uplink/dead-letters");
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode letter : reply.body()) {
            if (letter.path("messageId").asText().equals(messageId.toString())) {
                return letter;
            }
        }
        return null;
    }
}
