package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.CallbackSignature;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.Prerequisites;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

                receiver.answer(200);
                PushApi.Reply replay = app.api().post("/v1/apps/" + app.id() + "/uplink/dead-letters/"
                        + letter.path("id").asText() + "/replay", "{}");
                assertThat(replay.status()).isEqualTo(202);
                await().atMost(DELIVERY).until(() -> receiver.requests().size() == 4);
                assertThat(PushApi.JSON.readTree(receiver.requests().get(3).body()).path("id").asText()).isEqualTo(id.toString());
                assertThat(deadLetter(app, id)).isNull();
            }
        }
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
