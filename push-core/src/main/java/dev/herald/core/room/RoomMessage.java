package dev.herald.core.room;

import java.util.Arrays;
import java.util.Objects;

/**
 * A room message with its place in the room's one order: what access nodes write to members as a
 * ROOM_MESSAGE frame, and what the room's history keeps.
 *
 * @param seq      the room's sequence number (1, 2, ...); 0 in a history entry's document, whose stream entry
 *                 carries it beside
 * @param senderId the sending device, {@code ""} for the app's server
 * @param payload  owned by the record
 */
public record RoomMessage(String appId, String roomId, long seq, String messageId, String senderId, long sentAt,
                          byte[] payload) {

    public RoomMessage {
        senderId = senderId == null ? "" : senderId;
        payload = payload == null ? new byte[0] : payload;
    }

    public RoomMessage withSeq(long newSeq) {
        return new RoomMessage(appId, roomId, newSeq, messageId, senderId, sentAt, payload);
    }

    public RoomRef room() {
        return new RoomRef(appId, roomId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomMessage m && seq == m.seq && sentAt == m.sentAt && Objects.equals(appId, m.appId)
                && Objects.equals(roomId, m.roomId) && Objects.equals(messageId, m.messageId)
                && Objects.equals(senderId, m.senderId) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(appId, roomId, seq, messageId, senderId, sentAt) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RoomMessage[" + appId + "/" + roomId + " #" + seq + " " + messageId + " from '" + senderId + "', "
                + payload.length + " bytes]";
    }
}
