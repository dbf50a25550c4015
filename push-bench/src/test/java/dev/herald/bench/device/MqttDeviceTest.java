package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The MQTT device on an {@link EmbeddedChannel} with Netty's MQTT codec; the test plays the access
 * node through a second codec pair, so what is checked is what goes over the wire.
 */
class MqttDeviceTest {

    private final DeviceLogin login = new DeviceLogin(7, "dev-7", "demo", "token-7");
    private final RecordingSink sink = new RecordingSink();
    private final CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
    private final EmbeddedChannel device = new EmbeddedChannel(new MqttDecoder(65536), MqttEncoder.INSTANCE,
            new MqttDeviceHandler(login, sink, done, TimeUnit.SECONDS.toNanos(10)));
    private final EmbeddedChannel node = new EmbeddedChannel(new MqttDecoder(65536), MqttEncoder.INSTANCE);

    @AfterEach
    void close() {
        device.finishAndReleaseAll();
        node.finishAndReleaseAll();
    }

    @Test
    void connectsWithDeviceIdAppIdAndTokenThenSubscribesAtQos1AndLogsInOnSubAck() {
        MqttConnectMessage connect = nextFromDevice();
        assertThat(connect.variableHeader().version()).isEqualTo(4);
        assertThat(connect.variableHeader().keepAliveTimeSeconds()).isEqualTo(30);
        assertThat(connect.payload().clientIdentifier()).isEqualTo("dev-7");
        assertThat(connect.payload().userName()).isEqualTo("demo");
        assertThat(new String(connect.payload().passwordInBytes(), StandardCharsets.UTF_8)).isEqualTo("token-7");

        sendToDevice(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        MqttSubscribeMessage subscribe = nextFromDevice();
        assertThat(subscribe.payload().topicSubscriptions())
                .extracting(MqttTopicSubscription::topicFilter, MqttTopicSubscription::qualityOfService)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("herald/demo/devices/dev-7", MqttQoS.AT_LEAST_ONCE),
                        org.assertj.core.groups.Tuple.tuple("herald/demo/broadcast", MqttQoS.AT_LEAST_ONCE));
        assertThat(done).as("not logged in before SUBACK").isNotDone();

        sendToDevice(subAck(subscribe.variableHeader().messageId(), 1, 1));
        assertThat(done).isCompletedWithValueMatching(DeviceConnection::isOpen);
    }

    @Test
    void peerDialectConnectsAnonymouslyAndSubscribesToDevAndAllAtItsQos() {
        EmbeddedChannel peer = new EmbeddedChannel(new MqttDecoder(65536), MqttEncoder.INSTANCE,
                new MqttDeviceHandler(login, sink, new CompletableFuture<>(), TimeUnit.SECONDS.toNanos(10),
                        MqttDialect.peer(MqttQoS.AT_MOST_ONCE)));
        try {
            node.writeInbound((Object) peer.readOutbound());
            MqttConnectMessage connect = node.readInbound();
            assertThat(connect.payload().clientIdentifier()).isEqualTo("dev-7");
            assertThat(connect.variableHeader().hasUserName()).isFalse();
            assertThat(connect.variableHeader().hasPassword()).isFalse();

            node.writeOutbound(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
            peer.writeInbound((Object) node.readOutbound());
            node.writeInbound((Object) peer.readOutbound());
            MqttSubscribeMessage subscribe = node.readInbound();
            assertThat(subscribe.payload().topicSubscriptions())
                    .extracting(MqttTopicSubscription::topicFilter, MqttTopicSubscription::qualityOfService)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("dev/dev-7", MqttQoS.AT_MOST_ONCE),
                            org.assertj.core.groups.Tuple.tuple("all", MqttQoS.AT_MOST_ONCE));
        } finally {
            peer.finishAndReleaseAll();
        }
    }

    @Test
    void qos1PublishIsRecordedAndAnsweredWithPubAck() {
        logIn();
        sendToDevice(publish("herald/demo/broadcast", 42, "hello"));

        assertThat(sink.payloads).singleElement().satisfies(p -> assertThat(new String(p, StandardCharsets.UTF_8)).isEqualTo("hello"));
        MqttMessage pubAck = nextFromDevice();
        assertThat(pubAck.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        assertThat(((MqttMessageIdVariableHeader) pubAck.variableHeader()).messageId()).isEqualTo(42);
    }

    @Test
    void refusedConnAckFailsWithItsReturnCode() throws Exception {
        nextFromDevice();
        sendToDevice(connAck(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD));

        assertThat(done.handle((c, e) -> ((DeviceRefusedException) e).reason()).get(5, TimeUnit.SECONDS))
                .isEqualTo("CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD");
        assertThat(device.isOpen()).isFalse();
    }

    @Test
    void refusedSubscriptionFailsTheLogin() throws Exception {
        nextFromDevice();
        sendToDevice(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        MqttSubscribeMessage subscribe = nextFromDevice();
        sendToDevice(subAck(subscribe.variableHeader().messageId(), 1, 0x80));

        assertThat(done.handle((c, e) -> ((DeviceRefusedException) e).reason()).get(5, TimeUnit.SECONDS)).isEqualTo("SUBSCRIBE_REFUSED");
    }

    @Test
    void pingReqGoesOutOnlyAfterTwoThirdsOfTheKeepAliveWithoutWrites() {
        DeviceConnection connection = logIn();
        long now = System.nanoTime();
        connection.keepAlive(now + TimeUnit.SECONDS.toNanos(5));
        device.runPendingTasks();
        assertThat((Object) device.readOutbound()).isNull();

        connection.keepAlive(now + TimeUnit.SECONDS.toNanos(21));
        device.runPendingTasks();
        MqttMessage ping = nextFromDevice();
        assertThat(ping.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGREQ);
    }

    private DeviceConnection logIn() {
        nextFromDevice();
        sendToDevice(connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
        MqttSubscribeMessage subscribe = nextFromDevice();
        sendToDevice(subAck(subscribe.variableHeader().messageId(), 1, 1));
        return done.orTimeout(5, TimeUnit.SECONDS).join();
    }

    @SuppressWarnings("unchecked")
    private <T extends MqttMessage> T nextFromDevice() {
        for (Object out; (out = device.readOutbound()) != null; ) {
            node.writeInbound(out);
        }
        Object message = node.readInbound();
        assertThat(message).as("a packet from the device").isNotNull();
        return (T) message;
    }

    private void sendToDevice(MqttMessage message) {
        node.writeOutbound(message);
        for (Object out; (out = node.readOutbound()) != null; ) {
            device.writeInbound(out);
        }
    }

    private static MqttConnAckMessage connAck(MqttConnectReturnCode code) {
        return new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(code, false));
    }

    private static MqttSubAckMessage subAck(int messageId, int... granted) {
        return new MqttSubAckMessage(new MqttFixedHeader(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                MqttMessageIdVariableHeader.from(messageId), new MqttSubAckPayload(granted));
    }

    private static MqttPublishMessage publish(String topic, int packetId, String payload) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, packetId), Unpooled.copiedBuffer(payload, StandardCharsets.UTF_8));
    }
}
