package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testsupport.Prerequisites;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One port, many protocols, proven with clients nobody here wrote: Eclipse Paho and Debian's mosquitto
 * clients over MQTT 3.1.1, and the JDK's WebSocket client carrying native frames — each receiving
 * unicast, broadcast and offline compensation through the whole suite.
 */
@ExtendWith(HeraldSuite.class)
class ProtocolsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final HeraldSuite suite = HeraldSuite.get();
    private final PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);

    private static String unicast(String deviceId, String text) {
        return "{\"deviceId\":\"" + deviceId + "\",\"text\":\"" + text + "\",\"offline\":true}";
    }

    /** A Paho device: client id = device id, user name = app, password = device token. */
    private static final class PahoDevice implements MqttCallback, AutoCloseable {
        final List<String> received = new CopyOnWriteArrayList<>();
        final MqttClient client;
        final String deviceId;
        final String token;

        PahoDevice(int port, String deviceId, String token) throws Exception {
            this.deviceId = deviceId;
            this.token = token;
            client = new MqttClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
            client.setCallback(this);
        }

        PahoDevice connect() throws Exception {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setUserName(HeraldSuite.APP);
            options.setPassword(token.toCharArray());
            options.setAutomaticReconnect(false);
            client.connect(options);
            client.subscribe(new String[] {"herald/" + HeraldSuite.APP + "/devices/" + deviceId, "herald/" + HeraldSuite.APP + "/broadcast"},
                    new int[] {1, 1});
            return this;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        @Override
        public void close() throws Exception {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    @Test
    void pahoReceivesUnicastBroadcastAndWhatItMissedWhileOffline() throws Exception {
        String deviceId = "mqtt-" + UUID.randomUUID().toString().substring(0, 8);
        String neighbourId = "mqtt-" + UUID.randomUUID().toString().substring(0, 8);
        try (PahoDevice device = new PahoDevice(suite.access1Port, deviceId, api.token(deviceId)).connect();
             PahoDevice neighbour = new PahoDevice(suite.access1Port, neighbourId, api.token(neighbourId)).connect()) {
            api.accepted(unicast(deviceId, "mqtt-unicast"));
            String broadcast = "mqtt-broadcast-" + UUID.randomUUID();
            api.accepted("{\"broadcast\":true,\"text\":\"" + broadcast + "\",\"offline\":true}");
            await().atMost(DELIVERY).until(() -> device.received.contains("mqtt-unicast") && device.received.contains(broadcast));
            // The broadcast payload is shared by every MQTT connection of the node: each one gets it whole.
            await().atMost(DELIVERY).until(() -> neighbour.received.contains(broadcast));
            assertThat(neighbour.received).doesNotContain("mqtt-unicast");

            device.client.disconnect();
            await().atMost(DELIVERY).until(() -> !redisHasRoute(deviceId));
            String missed = api.accepted(unicast(deviceId, "while-mqtt-offline"));
            await().atMost(DELIVERY).until(() -> api.status(missed).number("stored") == 1);
            device.connect();
            await().atMost(DELIVERY).until(() -> device.received.contains("while-mqtt-offline"));
            // PUBACK is the ACK: the message leaves the offline store and counts as delivered.
            await().atMost(DELIVERY).until(() -> api.status(missed).number("delivered") == 1);
        }
    }

    @Test
    void mosquittoSubReceivesWhatItMissedAndALivePush() throws Exception {
        File sub = new File("/usr/bin/mosquitto_sub");
        Prerequisites.require(sub.canExecute(),
                "mosquitto_sub (apt-get install -y mosquitto-clients; .ci/run does)");
        String deviceId = "mosq-" + UUID.randomUUID().toString().substring(0, 8);
        String token = api.token(deviceId);
        String missed = api.accepted(unicast(deviceId, "stored-for-mosquitto"));
        await().atMost(DELIVERY).until(() -> api.status(missed).number("stored") == 1);

        Process process = new ProcessBuilder(sub.getPath(), "-h", "127.0.0.1", "-p", String.valueOf(suite.access2Port),
                "-V", "mqttv311", "-i", deviceId, "-u", HeraldSuite.APP, "-P", token, "-q", "1",
                "-t", "herald/" + HeraldSuite.APP + "/devices/" + deviceId, "-C", "2", "-W", "30")
                .redirectErrorStream(true).start();
        try {
            await().atMost(DELIVERY).until(() -> api.status(missed).number("delivered") == 1);
            api.accepted(unicast(deviceId, "live-for-mosquitto"));
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("stored-for-mosquitto").contains("live-for-mosquitto");
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    private boolean redisHasRoute(String deviceId) {
        try (var client = io.lettuce.core.RedisClient.create("redis://127.0.0.1:" + suite.redis.port());
             var connection = client.connect()) {
            return connection.sync().exists("h:route:{" + HeraldSuite.APP + ":" + deviceId + "}") == 1;
        }
    }

    @Test
    void aWebSocketDeviceReceivesUnicastBroadcastAndItsBacklog() throws Exception {
        String deviceId = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        String token = api.token(deviceId);
        WsDevice ws = WsDevice.open(suite.access2Port, deviceId, token);
        try {
            api.accepted(unicast(deviceId, "ws-unicast"));
            String broadcast = "ws-broadcast-" + UUID.randomUUID();
            api.accepted("{\"broadcast\":true,\"text\":\"" + broadcast + "\",\"offline\":true}");
            await().atMost(DELIVERY).until(() -> ws.texts().contains("ws-unicast") && ws.texts().contains(broadcast));
        } finally {
            ws.close();
        }
        await().atMost(DELIVERY).until(() -> !redisHasRoute(deviceId));
        String missed = api.accepted(unicast(deviceId, "while-ws-offline"));
        await().atMost(DELIVERY).until(() -> api.status(missed).number("stored") == 1);
        WsDevice again = WsDevice.open(suite.access1Port, deviceId, token);
        try {
            await().atMost(DELIVERY).until(() -> again.texts().contains("while-ws-offline"));
            await().atMost(DELIVERY).until(() -> api.status(missed).number("delivered") == 1);
        } finally {
            again.close();
        }
    }
}
