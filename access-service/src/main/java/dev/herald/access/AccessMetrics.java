package dev.herald.access;

import dev.herald.access.room.LocalRooms;
import dev.herald.access.session.SessionRegistry;
import dev.herald.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The node's few meters: {@code herald.access.connections} (gauge), {@code herald.access.handshakes}
 * by {@code result}, {@code herald.access.heartbeat.timeouts}, {@code herald.access.pushes} by
 * {@code kind} (live or replay), {@code herald.access.connections.blocked} (closed at accept time
 * because the client address is blacklisted), {@code herald.access.connections.protocol} by
 * {@code protocol} (native, websocket, mqtt: connections whose first bytes were recognised) and
 * {@code herald.access.connections.rejected} by {@code reason} (closed quietly before any protocol
 * was established: garbage, oversized, truncated, timeout, http-path, http-method, http-malformed,
 * mqtt-malformed) and {@code herald.access.uplinks} by {@code result} (accepted, rejected, failed). Rooms:
 * {@code herald.access.rooms.members} and {@code herald.access.rooms} (gauges: memberships and rooms on this node),
 * {@code herald.access.rooms.messages} (ROOM_MESSAGE frames written, history included: one per member per message)
 * and {@code herald.access.rooms.sends} by {@code result}.
 */
@Component
public final class AccessMetrics {

    private final MeterRegistry registry;
    private final Map<ErrorCode, Counter> handshakes = new EnumMap<>(ErrorCode.class);
    private final Counter heartbeatTimeouts;
    private final Counter livePushes;
    private final Counter replayedPushes;
    private final Counter blockedConnections;
    private final Counter roomMessages;

    public AccessMetrics(MeterRegistry registry, SessionRegistry sessions, LocalRooms rooms) {
        Gauge.builder("herald.access.rooms.members", rooms, LocalRooms::memberCount)
                .description("Room memberships of connections on this node").register(registry);
        Gauge.builder("herald.access.rooms", rooms, LocalRooms::roomCount)
                .description("Rooms with members on this node").register(registry);
        this.roomMessages = Counter.builder("herald.access.rooms.messages")
                .description("ROOM_MESSAGE frames written to members").register(registry);
        this.registry = registry;
        Gauge.builder("herald.access.connections", sessions, SessionRegistry::connectionCount)
                .description("Connections that completed their handshake")
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            handshakes.put(code, Counter.builder("herald.access.handshakes")
                    .description("CONNECT frames answered, by result")
                    .tag("result", code.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        this.heartbeatTimeouts = Counter.builder("herald.access.heartbeat.timeouts")
                .description("Connections closed because their heartbeat stopped")
                .register(registry);
        this.livePushes = pushes("live");
        this.replayedPushes = pushes("replay");
        this.blockedConnections = Counter.builder("herald.access.connections.blocked")
                .description("Connections closed at accept time because the client address is blacklisted")
                .register(registry);
    }

    private Counter pushes(String kind) {
        return Counter.builder("herald.access.pushes")
                .description("PUSH frames written to connections")
                .tag("kind", kind)
                .register(registry);
    }

    public void handshake(ErrorCode result) {
        handshakes.get(result).increment();
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    public void livePushes(int count) {
        livePushes.increment(count);
    }

    public void replayedPushes(int count) {
        replayedPushes.increment(count);
    }

    /** A connection whose first bytes were recognised as {@code protocol}. */
    public void protocol(String protocol) {
        Counter.builder("herald.access.connections.protocol")
                .description("Connections by the protocol detected from their first bytes")
                .tag("protocol", protocol)
                .register(registry)
                .increment();
    }

    /** A connection closed quietly, before or during protocol set-up, for {@code reason}. */
    public void rejected(String reason) {
        Counter.builder("herald.access.connections.rejected")
                .description("Connections closed quietly before a protocol was established, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** An uplink by {@code result}: accepted (stored), rejected (refused), failed (Redis error). */
    public void uplink(String result) {
        Counter.builder("herald.access.uplinks")
                .description("Uplink messages from devices, by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public void roomMessages(int count) {
        roomMessages.increment(count);
    }

    /** A ROOM_SEND by {@code result}: sent, or the lower-case name of the error code that answered it. */
    public void roomSend(String result) {
        Counter.builder("herald.access.rooms.sends")
                .description("ROOM_SEND frames from members, by result")
                .tag("result", result)
                .register(registry)
                .increment();
    }

    public void blockedConnection() {
        blockedConnections.increment();
    }
}
