package dev.herald.access;

import dev.herald.access.delivery.RecentlyWritten;
import dev.herald.access.room.LocalRooms;
import dev.herald.access.session.SessionRegistry;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.MessageId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The node's meters (docs/operations.md has the whole taxonomy):
 * <ul>
 *   <li>{@code herald.access.connections{protocol}}: open connections past their handshake, by protocol
 *       (native, websocket, mqtt); {@code herald.access.connections.opened{protocol}}: connections whose
 *       first bytes named the protocol; {@code herald.access.connections.rejected{reason}}: closed quietly
 *       before a protocol was established (garbage, oversized, truncated, timeout, http-path, http-method,
 *       http-malformed, mqtt-malformed, mqtt-oversized, tls-required, tls-handshake, tls-timeout);
 *       {@code herald.access.tls.handshakes{result=ok|failed}}: TLS handshakes on the device port; {@code herald.access.connections.blocked}: closed
 *       at accept time, blacklisted address; {@code herald.access.connections.throttled}: reset at accept
 *       time, over the per-address connection rate; {@code herald.access.sockets}: TCP connections open,
 *       handshake done or not;</li>
 *   <li>{@code herald.access.handshakes{result}}: CONNECTs answered, ok or the refusal's error code;
 *       {@code herald.access.heartbeat.timeouts};</li>
 *   <li>{@code herald.access.messages.pushed{kind=live|replay}}: PUSH frames written;
 *       {@code herald.access.delivery.latency}: from acceptance by push-api (the message id's time) to the
 *       live PUSH being written; {@code herald.access.acks}: message ids acknowledged by devices;
 *       {@code herald.access.ack.latency}: from a live PUSH being written to its ACK arriving;</li>
 *   <li>{@code herald.access.mqtt.dropped}: online-only pushes an MQTT connection never sent (no room in its
 *       full queue, or still queued when it closed); {@code herald.access.mqtt.deferred}: stored pushes a full
 *       MQTT queue left to the device's backlog;</li>
 *   <li>{@code herald.access.uplinks{result}}: accepted, rejected, failed;</li>
 *   <li>rooms: {@code herald.access.rooms.members} and {@code herald.access.rooms} (gauges: memberships and rooms on
 *       this node), {@code herald.access.rooms.messages} (ROOM_MESSAGE frames written, history included: one per
 *       member per message), {@code herald.access.rooms.sends{result}}.</li>
 * </ul>
 */
@Component
public final class AccessMetrics {

    private static final List<String> PROTOCOLS = List.of("native", "websocket", "mqtt");

    private final MeterRegistry registry;
    private final Map<ErrorCode, Counter> handshakes = new EnumMap<>(ErrorCode.class);
    private final Counter heartbeatTimeouts;
    private final Counter livePushes;
    private final Counter replayedPushes;
    private final Counter blockedConnections;
    private final Counter roomMessages;
    private final Counter acks;
    private final Timer deliveryLatency;
    private final Timer ackLatency;
    /** When each recent live message was written ({@link System#nanoTime()}), so that its ACKs can be timed. */
    private final RecentlyWritten<Long> recentPushes = new RecentlyWritten<>(16_384);
    private final Counter throttledConnections;
    private final Counter mqttDropped;
    private final Counter mqttDeferred;
    private final Counter tlsHandshakesOk;
    private final Counter tlsHandshakesFailed;

    public AccessMetrics(MeterRegistry registry, SessionRegistry sessions, LocalRooms rooms) {
        Gauge.builder("herald.access.rooms.members", rooms, LocalRooms::memberCount)
                .description("Room memberships of connections on this node").register(registry);
        Gauge.builder("herald.access.rooms", rooms, LocalRooms::roomCount)
                .description("Rooms with members on this node").register(registry);
        this.roomMessages = Counter.builder("herald.access.rooms.messages")
                .description("ROOM_MESSAGE frames written to members").register(registry);
        this.registry = registry;
        for (String protocol : PROTOCOLS) {
            Gauge.builder("herald.access.connections", sessions, s -> s.connectionCount(protocol))
                    .description("Open connections that completed their handshake, by protocol")
                    .tag("protocol", protocol)
                    .register(registry);
        }
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
        this.acks = Counter.builder("herald.access.acks")
                .description("Message ids acknowledged by devices")
                .register(registry);
        this.deliveryLatency = Timer.builder("herald.access.delivery.latency")
                .description("From acceptance by push-api to the live PUSH being written by this node")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        this.ackLatency = Timer.builder("herald.access.ack.latency")
                .description("From a live PUSH being written to the device's ACK arriving")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        this.throttledConnections = Counter.builder("herald.access.connections.throttled")
                .description("Connections reset at accept time because their address opened more than its "
                        + "connection rate")
                .register(registry);
        this.mqttDropped = Counter.builder("herald.access.mqtt.dropped")
                .description("Online-only pushes an MQTT connection never sent: no room in its full queue, or "
                        + "still queued when it closed")
                .register(registry);
        this.tlsHandshakesOk = tlsHandshakes("ok");
        this.tlsHandshakesFailed = tlsHandshakes("failed");
        this.mqttDeferred = Counter.builder("herald.access.mqtt.deferred")
                .description("Stored pushes a full MQTT queue left to the device's backlog (sent on its next "
                        + "connection)")
                .register(registry);
    }

    public void mqttDropped() {
        mqttDropped.increment();
    }

    public void mqttDeferred() {
        mqttDeferred.increment();
    }

    /** Registers the gauge of TCP connections open now, handshake done or not (held strongly by the caller). */
    public void openSockets(AtomicInteger open) {
        Gauge.builder("herald.access.sockets", open, AtomicInteger::get)
                .description("TCP connections open, including those still in their handshake")
                .register(registry);
    }

    public void throttledConnection() {
        throttledConnections.increment();
    }

    private Counter tlsHandshakes(String result) {
        return Counter.builder("herald.access.tls.handshakes")
                .description("TLS handshakes on the device port, by result")
                .tag("result", result)
                .register(registry);
    }

    private Counter pushes(String kind) {
        return Counter.builder("herald.access.messages.pushed")
                .description("PUSH frames written to connections: live, or replayed from the offline store")
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

    /** A live message was handed to its local connections for writing. */
    public void liveMessageWritten(MessageId id) {
        long now = System.currentTimeMillis();
        deliveryLatency.record(Math.max(0, now - id.epochMillis()), TimeUnit.MILLISECONDS);
        recentPushes.put(id, System.nanoTime());
    }

    /** Devices acknowledged {@code ids}; those written live recently are timed. */
    public void acked(List<MessageId> ids) {
        acks.increment(ids.size());
        long now = System.nanoTime();
        for (MessageId id : ids) {
            Long writtenAt = recentPushes.get(id);
            if (writtenAt != null) {
                ackLatency.record(Math.max(0, now - writtenAt), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A connection whose first bytes were recognised as {@code protocol}. */
    public void protocol(String protocol) {
        Counter.builder("herald.access.connections.opened")
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

    /** A TLS handshake on the device port ended: {@code herald.access.tls.handshakes{result=ok|failed}}. */
    public void tlsHandshake(boolean ok) {
        (ok ? tlsHandshakesOk : tlsHandshakesFailed).increment();
    }

    public void blockedConnection() {
        blockedConnections.increment();
    }
}
