package dev.herald.bench.device;

import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.function.Function;

/**
 * What an MQTT device subscribes to and how it logs in: Herald's mapping (docs/protocol.md "MQTT 3.1.1
 * mapping": username = app id, password = token, QoS 1 on {@code herald/<app>/devices/<device>} and
 * {@code herald/<app>/broadcast}), or a plain broker's (anonymous, {@code dev/<device>} and {@code all}) for the
 * side-by-side comparison with mosquitto.
 *
 * @param credentials send the app id and token as username and password
 */
public record MqttDialect(Function<DeviceLogin, String> deviceTopic, Function<DeviceLogin, String> broadcastTopic,
                          MqttQoS qos, boolean credentials) {

    /** Herald's access nodes. */
    public static final MqttDialect HERALD = new MqttDialect(
            login -> "herald/" + login.appId() + "/devices/" + login.deviceId(),
            login -> "herald/" + login.appId() + "/broadcast", MqttQoS.AT_LEAST_ONCE, true);

    /** The unicast topic of a device on a plain broker; {@link #PEER_BROADCAST_TOPIC} reaches every device. */
    public static String peerDeviceTopic(String deviceId) {
        return "dev/" + deviceId;
    }

    public static final String PEER_BROADCAST_TOPIC = "all";

    /** A plain broker (mosquitto): anonymous, subscriptions at {@code qos}. */
    public static MqttDialect peer(MqttQoS qos) {
        return new MqttDialect(login -> peerDeviceTopic(login.deviceId()), login -> PEER_BROADCAST_TOPIC, qos, false);
    }
}
