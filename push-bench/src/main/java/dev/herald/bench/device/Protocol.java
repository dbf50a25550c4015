package dev.herald.bench.device;

import java.time.Duration;
import java.util.Locale;

/** The device protocols push-bench can simulate; one per protocol the access nodes speak. */
public enum Protocol {

    /** Herald's binary protocol over TCP (docs/protocol.md). */
    NATIVE,
    /** The native protocol in WebSocket binary messages at {@code /ws} on the same port. */
    WEBSOCKET,
    /** MQTT 3.1.1 on the same port, QoS 1 subscriptions to the device and broadcast topics. */
    MQTT;

    /** Devices of this protocol, over TLS when {@code tls} says so (native over TLS, {@code wss}, {@code mqtts}). */
    public DeviceTransport transport(EventLoops loops, Duration connectTimeout, int maxFrameBytes, DeviceTls tls) {
        ClientTls client = ClientTls.of(tls);
        return switch (this) {
            case NATIVE -> new NativeTransport(loops, connectTimeout, maxFrameBytes, client);
            case WEBSOCKET -> new WebSocketTransport(loops, connectTimeout, maxFrameBytes, client);
            case MQTT -> new MqttTransport(loops, connectTimeout, maxFrameBytes, MqttDialect.HERALD, client);
        };
    }

    /** Accepts the lower-case names used on the command line ({@code native}, {@code websocket}, {@code mqtt}). */
    public static Protocol parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'; available: native, websocket, mqtt");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
