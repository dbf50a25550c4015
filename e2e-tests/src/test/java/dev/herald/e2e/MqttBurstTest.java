package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue #20: an MQTT QoS 1 subscriber got the first 64 pushes of a burst and never the rest, because the node
 * skipped what did not fit its window of unacknowledged PUBLISHes. Here a Paho device holds back its PUBACKs
 * until the node has taken a burst of 200 online-only broadcasts sent through push-api, so the window is full
 * long before the burst ends; then it acknowledges as they come and must receive all 200, in the order they
 * were sent, none counted as dropped.
 */
@ExtendWith(HeraldSuite.class)
class MqttBurstTest {

    private static final int BURST = 200;
    private static final Duration DELIVERY = Duration.ofSeconds(60);

    private final HeraldSuite suite = HeraldSuite.get();
    private final PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);

    @Test
    void aBurstOfTwoHundredReachesAQos1SubscriberWholeAndInOrder() throws Exception {
        String deviceId = "mqtt-burst-" + UUID.randomUUID().toString().substring(0, 8);
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (HeldAcks device = HeldAcks.connect(suite.access1Port, deviceId, api.token(deviceId))) {
            List<String> ids = new ArrayList<>();
            List<String> sent = new ArrayList<>();
            for (int i = 1; i <= BURST; i++) {
                String text = "burst-" + run + "-" + i;
                ids.add(api.accepted("{\"broadcast\":true,\"text\":\"" + text + "\",\"offline\":false}"));
                sent.add(text);
            }
            // The node has fanned out the last one (it counts targets once its writes are handed to the
            // connections' event loops, which run them in order): the whole burst met a full window.
            await().atMost(DELIVERY).until(() -> api.status(ids.get(BURST - 1)).number("targets") >= 1);
            await().atMost(DELIVERY).until(() -> device.arrived.size() == 64);

            await().atMost(DELIVERY).until(() -> {
                device.ackAll();
                return device.ownPayloads(run).size() >= BURST;
            });
            assertThat(device.ownPayloads(run)).containsExactlyElementsOf(sent);
            for (String id : ids) {
                assertThat(api.status(id).number("dropped")).as("dropped of %s", id).isZero();
            }
        }
    }

    /** A Paho device subscribed with QoS 1 that sends PUBACKs only when the test says so. */
    private static final class HeldAcks implements MqttCallback, AutoCloseable {
        private final List<MqttMessage> arrived = new CopyOnWriteArrayList<>();
        private final MqttClient client;
        private int acked;

        private HeldAcks(int port, String deviceId) throws MqttException {
            client = new MqttClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
            client.setManualAcks(true);
            client.setCallback(this);
        }

        static HeldAcks connect(int port, String deviceId, String token) throws MqttException {
            HeldAcks device = new HeldAcks(port, deviceId);
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setUserName(HeraldSuite.APP);
            options.setPassword(token.toCharArray());
            device.client.connect(options);
            device.client.subscribe(new String[] {"herald/" + HeraldSuite.APP + "/devices/" + deviceId,
                    "herald/" + HeraldSuite.APP + "/broadcast"}, new int[] {1, 1});
            return device;
        }

        /** Payloads of this run's burst, by arrival (other tests' broadcasts to the app may arrive too). */
        List<String> ownPayloads(String run) {
            return arrived.stream().map(m -> new String(m.getPayload(), StandardCharsets.UTF_8))
                    .filter(text -> text.startsWith("burst-" + run + "-")).toList();
        }

        /** PUBACKs every message that arrived and was not acknowledged yet. */
        synchronized void ackAll() throws MqttException {
            for (; acked < arrived.size(); acked++) {
                MqttMessage message = arrived.get(acked);
                client.messageArrivedComplete(message.getId(), message.getQos());
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
