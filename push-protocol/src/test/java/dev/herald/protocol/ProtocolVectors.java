package dev.herald.protocol;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The worked examples of docs/protocol.md as frames and their bytes, read from {@code protocol-vectors.json}
 * (test resources), which the TypeScript SDK's codec tests read as well, so the two codecs cannot drift apart.
 */
final class ProtocolVectors {

    record Vector(String name, String hex, Frame frame) {
        @Override
        public String toString() {
            return name;
        }
    }

    private ProtocolVectors() {
    }

    static List<Vector> load() throws IOException {
        try (InputStream in = ProtocolVectors.class.getResourceAsStream("/protocol-vectors.json")) {
            if (in == null) {
                throw new IllegalStateException("protocol-vectors.json is not on the test classpath");
            }
            List<Map<String, Object>> vectors = JsonPath.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), "$.vectors");
            return vectors.stream().map(v -> new Vector((String) v.get("name"), (String) v.get("hex"),
                    frame(map(v.get("frame"))))).toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static Frame frame(Map<String, Object> f) {
        int seq = number(f, "seq").intValue();
        return switch ((String) f.get("type")) {
            case "PING" -> new Frame.Ping(seq);
            case "PUSH" -> new Frame.Push(seq, number(f, "flags").intValue(), id(f), text(f, "appId"),
                    number(f, "broadcastSeq").longValue(), payload(f));
            case "UPLINK" -> new Frame.Uplink(seq, text(f, "appId"), payload(f));
            case "UPLINK_ACK" -> new Frame.UplinkAck(seq, id(f));
            case "ROOM_JOIN" -> new Frame.RoomJoin(seq, text(f, "appId"), text(f, "roomId"), number(f, "historyLimit").intValue());
            case "ROOM_SEND" -> new Frame.RoomSend(seq, text(f, "appId"), text(f, "roomId"), payload(f));
            case "ROOM_MESSAGE" -> new Frame.RoomMessage(seq, number(f, "flags").intValue(), id(f), text(f, "appId"),
                    text(f, "roomId"), number(f, "roomSeq").longValue(), text(f, "senderId"), number(f, "sentAt").longValue(),
                    payload(f));
            case "ROOM_ACK" -> new Frame.RoomAck(seq, Frame.RoomAck.Kind.valueOf(text(f, "kind")), ErrorCode.valueOf(text(f, "code")),
                    text(f, "appId"), text(f, "roomId"), number(f, "roomSeq").longValue(), number(f, "memberCount").longValue(), id(f));
            default -> throw new IllegalArgumentException("no vector support for frame type " + f.get("type"));
        };
    }

    private static Number number(Map<String, Object> f, String field) {
        return (Number) f.get(field);
    }

    private static String text(Map<String, Object> f, String field) {
        return (String) f.get(field);
    }

    private static MessageId id(Map<String, Object> f) {
        return MessageId.parse(text(f, "messageId"));
    }

    private static byte[] payload(Map<String, Object> f) {
        return text(f, "payload").getBytes(StandardCharsets.UTF_8);
    }
}
