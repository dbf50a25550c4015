package dev.herald.bench.device;

import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * Devices of the servers Herald is compared with: MQTT subscribers of a plain broker (mosquitto) and NATS
 * subscribers. Both use the fleet's event loops and sweeper like Herald's devices, so every server is
 * measured with the same client.
 */
public final class PeerDevices {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private PeerDevices() {
    }

    /** Anonymous MQTT 3.1.1 devices subscribed at {@code qos} to {@code dev/<device>} and {@code all}. */
    public static DeviceTransport.Factory mqtt(MqttQoS qos) {
        MqttDialect dialect = MqttDialect.peer(qos);
        return (loops, timeout) -> new MqttTransport(loops, timeout, MAX_MESSAGE_BYTES, dialect, ClientTls.PLAINTEXT);
    }

    /** NATS devices subscribed to {@code dev.<device>} and {@code all}. */
    public static DeviceTransport.Factory nats() {
        return (loops, timeout) -> new NatsTransport(loops, timeout, MAX_MESSAGE_BYTES);
    }

    /** The subject a NATS publisher uses to reach one device. */
    public static String natsDeviceSubject(String deviceId) {
        return NatsDeviceHandler.deviceSubject(deviceId);
    }

    /** The subject a NATS publisher uses to reach every device. */
    public static String natsBroadcastSubject() {
        return NatsDeviceHandler.BROADCAST_SUBJECT;
    }
}
