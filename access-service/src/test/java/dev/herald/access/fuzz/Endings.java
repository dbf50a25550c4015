package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.FuzzReport;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads what the server wrote on a finished connection, in the protocol the node detected, checks it
 * as that protocol's client would ({@link NativeReplies}, {@link WebSocketReplies}, {@link MqttReplies})
 * and says how the connection ended and why: the protocol's own reason where it has one (DISCONNECT
 * or a refusing CONNACK, an HTTP error status, a WebSocket close status, an MQTT CONNACK return code),
 * else the reason the node counted (a connection closed quietly at detection, an expired keep-alive),
 * else, for MQTT, which has no way to say why, the reason the node logged. A connection the server
 * closed with none of these fails the input.
 */
final class Endings {

    /** Protocol error, unsupported data (text), invalid payload, message too big. */
    private static final java.util.Set<Integer> SERVER_CLOSE_STATUSES = java.util.Set.of(1002, 1003, 1007, 1009);

    private Endings() {
    }

    /** Everything the server wrote, parsed per protocol; {@code frames} are the native ones (TCP or WebSocket). */
    record Written(String protocol, List<Frame> frames, WebSocketReplies.Replies webSocket,
                   List<MqttReplies.Packet> mqtt) {
    }

    static Written written(FuzzedConnection connection) {
        String protocol = connection.detected();
        byte[] bytes = connection.fromServer();
        if (protocol == null) {
            assertThat(bytes).as("written before a protocol was recognised").isEmpty();
            return new Written(null, List.of(), null, List.of());
        }
        return switch (protocol) {
            case "native" -> new Written(protocol, NativeReplies.frames(bytes), null, List.of());
            case "websocket" -> {
                WebSocketReplies.Replies replies = WebSocketReplies.parse(bytes);
                yield new Written(protocol, WebSocketReplies.frames(replies), replies, List.of());
            }
            case "mqtt" -> new Written(protocol, List.of(), null, MqttReplies.parse(bytes));
            default -> throw new AssertionError("unknown protocol " + protocol);
        };
    }

    /** Checks what was written, counts it, and returns how the connection ended. */
    static String of(FuzzedConnection connection, Written written, FuzzReport report) {
        String ending = NativeReplies.check(written.frames());
        NativeReplies.tally(written.frames(), report);
        if (written.webSocket() != null) {
            WebSocketReplies.Replies ws = written.webSocket();
            boolean endedNatively = ending != null;
            if (ws.status() != 101 && ws.status() != 0) { // 0: no response written at all
                ending = "HTTP " + ws.status();
            }
            boolean closedAfterNativeEnding = false;
            for (Object message : ws.messages()) {
                if (message instanceof WebSocketReplies.Close close && endedNatively) {
                    // A session ended for a native reason: its CONNACK or DISCONNECT, then one close 1000 (WebSocketFrames.END).
                    assertThat(close.status()).as("the close frame after a native ending").isEqualTo(1000);
                    assertThat(closedAfterNativeEnding).as("a second close frame after a native ending").isFalse();
                    closedAfterNativeEnding = true;
                } else if (message instanceof WebSocketReplies.Close close) {
                    assertThat(ending).as("a close frame after the connection was ended").isNull();
                    // The statuses the server closes with; any other is the client's own, echoed.
                    ending = SERVER_CLOSE_STATUSES.contains(close.status()) ? "WebSocket close " + close.status()
                            : "the client's close frame, echoed";
                } else if (message instanceof WebSocketReplies.Pong) {
                    report.tally("websocket pong", 1);
                }
            }
        }
        for (MqttReplies.Packet packet : written.mqtt()) {
            if (packet.type() == MqttReplies.CONNACK && packet.codes()[0] != 0) {
                ending = "MQTT CONNACK " + packet.codes()[0];
            } else {
                report.tally("mqtt " + MqttReplies.name(packet.type())
                        + (packet.type() == MqttReplies.CONNACK ? " accepted" : ""), 1);
            }
        }
        String protocol = written.protocol() == null ? "" : written.protocol() + " ";
        if (ending != null) {
            return protocol + "closed: " + ending;
        }
        Map<String, Double> rejected = connection.rejected();
        if (!rejected.isEmpty()) {
            return protocol + "closed quietly, counted as " + String.join("+", new TreeSet<>(rejected.keySet()));
        }
        if (connection.peerClosed()) {
            return protocol + "open when the input ended: the client went away";
        }
        String logged = connection.loggedCloseReason();
        if (logged != null && logged.contains(" disconnects")) {
            return protocol + "closed: the client's DISCONNECT";
        }
        if ("websocket".equals(written.protocol()) && logged != null
                && (logged.contains("Invalid close frame") || logged.contains("bytes are not UTF-8"))) {
            // The client started the closing handshake with a broken close frame (a bad status, a reason
            // that is not UTF-8; text messages are not validated, they are refused): the connection is
            // failed without a close frame back (RFC 6455, 7.1.7), as Netty's decoder does.
            return protocol + "closed: the client's close frame was invalid";
        }
        if ("mqtt".equals(written.protocol())) {
            if (connection.heartbeatTimedOut()) {
                return protocol + "closed: keep-alive expired";
            }
            if (logged != null) {
                return protocol + "closed: " + normalised(logged);
            }
        }
        throw new AssertionError("the server closed the connection without a reason (" + written.protocol()
                + "; wrote " + written + "; logged " + connection.loggedCloseReason() + "; bytes "
                + io.netty.buffer.ByteBufUtil.hexDump(connection.fromServer()) + ")");
    }

    /** A logged reason with the per-connection details (topics, sessions, exception messages) taken out. */
    static String normalised(String logged) {
        String reason = logged.replaceFirst("^closing MQTT connection\\s*:\\s*", "");
        reason = reason.replaceFirst("(?s)^(malformed packet): (?:[\\w.]+\\.)?(\\w+)(:.*)?$", "$1 ($2)");
        reason = reason.replaceFirst("(?s)^PUBLISH to (.*? )?at (\\w+) is not allowed$", "PUBLISH to a topic not its own, or at $2");
        reason = reason.replaceFirst(" from Session\\[.*$", "");
        return reason;
    }

    /** The DISCONNECT a deadline ends a native conversation with: heartbeat once connected, handshake before. */
    static ErrorCode deadlineCode(boolean connected) {
        return connected ? ErrorCode.HEARTBEAT_TIMEOUT : ErrorCode.HANDSHAKE_TIMEOUT;
    }
}
