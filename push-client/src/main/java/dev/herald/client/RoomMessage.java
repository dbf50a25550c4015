package dev.herald.client;

import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message of a room this device joined.
 *
 * @param roomSeq  its place in the room's one order: every member sees the room's messages in increasing roomSeq
 * @param senderId the device that sent it, empty when the app's server posted it
 * @param sentAt   when Herald accepted it, epoch milliseconds
 * @param history  sent before this device joined, delivered from the room's history after the join
 * @param payload  owned by the message, do not modify
 */
public record RoomMessage(MessageId id, String appId, String roomId, long roomSeq, String senderId, long sentAt,
                          boolean history, byte[] payload) {

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomMessage m && roomSeq == m.roomSeq && sentAt == m.sentAt && history == m.history
                && Objects.equals(id, m.id) && Objects.equals(appId, m.appId) && Objects.equals(roomId, m.roomId)
                && Objects.equals(senderId, m.senderId) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(id, appId, roomId, roomSeq, senderId, sentAt, history) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RoomMessage[" + appId + "/" + roomId + " #" + roomSeq + " " + id + " from '" + senderId + "'"
                + (history ? " history" : "") + ", " + payload.length + " bytes]";
    }
}
