package dev.herald.bench.device;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link DeviceFleet} needs: where to connect, as whom, how many, how fast.
 *
 * @param protocol the Herald protocol the devices speak; {@code null} when the fleet is given its transport
 *        (devices of another server, see {@link DeviceFleet#DeviceFleet(FleetSettings, DeliverySink, DeviceTransport.Factory)})
 * @param servers access nodes; device {@code i} goes to {@code servers[i % size]}
 * @param firstDevice index of the first device; device ids are {@code devicePrefix + index}
 * @param connectRate new connections per second, 0 for as fast as {@code inFlight} allows
 * @param inFlight most handshakes in flight at once
 * @param room chat room every device joins after its login ({@code ""}: none); a device counts as connected once
 *             it has joined
 * @param tls TLS on the connections to the access nodes (for the Herald protocols; a given transport ignores it)
 */
public record FleetSettings(Protocol protocol, List<InetSocketAddress> servers, String appId, String secret,
                            String devicePrefix, int firstDevice, int count, double connectRate, int inFlight,
                            SourceAddresses sources, int eventLoopThreads, Duration connectTimeout,
                            Duration tokenTtl, String room, DeviceTls tls) {

    /** Plaintext. */
    public FleetSettings(Protocol protocol, List<InetSocketAddress> servers, String appId, String secret,
                         String devicePrefix, int firstDevice, int count, double connectRate, int inFlight,
                         SourceAddresses sources, int eventLoopThreads, Duration connectTimeout,
                         Duration tokenTtl, String room) {
        this(protocol, servers, appId, secret, devicePrefix, firstDevice, count, connectRate, inFlight, sources,
                eventLoopThreads, connectTimeout, tokenTtl, room, DeviceTls.PLAINTEXT);
    }

    /** Without a room. */
    public FleetSettings(Protocol protocol, List<InetSocketAddress> servers, String appId, String secret,
                         String devicePrefix, int firstDevice, int count, double connectRate, int inFlight,
                         SourceAddresses sources, int eventLoopThreads, Duration connectTimeout, Duration tokenTtl) {
        this(protocol, servers, appId, secret, devicePrefix, firstDevice, count, connectRate, inFlight, sources,
                eventLoopThreads, connectTimeout, tokenTtl, "");
    }

    public FleetSettings {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one access node address is needed");
        }
        if (count < 0 || firstDevice < 0) {
            throw new IllegalArgumentException("device count and first device must be >= 0");
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("in-flight handshakes must be >= 1");
        }
        sources = sources == null ? SourceAddresses.none() : sources;
        room = room == null ? "" : room;
        tls = tls == null ? DeviceTls.PLAINTEXT : tls;
        if (!room.isEmpty() && protocol == Protocol.MQTT) {
            throw new IllegalArgumentException("rooms are not mapped to MQTT yet (docs/chatrooms.md): use native or websocket");
        }
    }
}
