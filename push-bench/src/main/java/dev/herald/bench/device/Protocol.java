package dev.herald.bench.device;

import java.time.Duration;
import java.util.Locale;

/** The device protocols push-bench can simulate; one per protocol the access nodes speak. */
public enum Protocol {

    /** Herald's binary protocol over TCP (docs/protocol.md). */
    NATIVE;

    public DeviceTransport transport(EventLoops loops, Duration connectTimeout, int maxFrameBytes) {
        return switch (this) {
            case NATIVE -> new NativeTransport(loops, connectTimeout, maxFrameBytes);
        };
    }

    /** Accepts the lower-case names used on the command line ({@code native}). */
    public static Protocol parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + name + "'; available: native "
                    + "(WebSocket and MQTT come when the access nodes speak them)");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
