package dev.herald.bench.scenario;

import dev.herald.bench.device.DeviceTls;
import java.util.List;

/**
 * The simulated devices of a run.
 *
 * @param protocol {@code native}, {@code websocket} or {@code mqtt}
 * @param access access node addresses {@code host:port}; devices are spread over them round-robin
 * @param devices how many devices in the whole run (all processes or agents together)
 * @param firstDevice index of the first device; ids are {@code devicePrefix + index}
 * @param connectRate new connections per second for the whole run, 0 = as fast as {@code inFlight} allows
 * @param inFlight handshakes in flight at once, per process
 * @param sourceAddresses local addresses to bind, e.g. {@code 127.0.0.2-127.0.0.9}; empty = any
 * @param eventLoops event loop threads per process
 * @param room chat room every device joins after its login ({@code ""}: none)
 * @param tls TLS to the access nodes; absent (an older agent's task) means plaintext
 */
public record DeviceSpec(String protocol, List<String> access, String app, String secret, String devicePrefix,
                         int devices, int firstDevice, double connectRate, int inFlight, String sourceAddresses,
                         int eventLoops, double connectTimeoutSeconds, String room, DeviceTls tls) {

    public DeviceSpec {
        access = List.copyOf(access);
        room = room == null ? "" : room;
        tls = tls == null ? DeviceTls.PLAINTEXT : tls;
    }

    /** Plaintext. */
    public DeviceSpec(String protocol, List<String> access, String app, String secret, String devicePrefix, int devices,
                      int firstDevice, double connectRate, int inFlight, String sourceAddresses, int eventLoops,
                      double connectTimeoutSeconds, String room) {
        this(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight, sourceAddresses,
                eventLoops, connectTimeoutSeconds, room, DeviceTls.PLAINTEXT);
    }

    /** Without a room. */
    public DeviceSpec(String protocol, List<String> access, String app, String secret, String devicePrefix, int devices,
                      int firstDevice, double connectRate, int inFlight, String sourceAddresses, int eventLoops,
                      double connectTimeoutSeconds) {
        this(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight, sourceAddresses,
                eventLoops, connectTimeoutSeconds, "", DeviceTls.PLAINTEXT);
    }

    public DeviceSpec withDevices(int firstDevice, int devices) {
        return new DeviceSpec(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight,
                sourceAddresses, eventLoops, connectTimeoutSeconds, room, tls);
    }

    /** The devices speak TLS as {@code tls} says. */
    public DeviceSpec withTls(DeviceTls tls) {
        return new DeviceSpec(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight,
                sourceAddresses, eventLoops, connectTimeoutSeconds, room, tls);
    }

    /** Every device joins {@code room} after its login. */
    public DeviceSpec withRoom(String room) {
        return new DeviceSpec(protocol, access, app, secret, devicePrefix, devices, firstDevice, connectRate, inFlight,
                sourceAddresses, eventLoops, connectTimeoutSeconds, room, tls);
    }
}
