package dev.herald.core.room;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message for a room, before it has its place in the room's order: appended to the cell's room intake
 * ({@code h:room-intake:{cell}}) by the access node a member sent it to, or by the chatroom-service for a
 * post through push-api. The room's sequencer gives it its {@code roomSeq}.
 *
 * @param messageId text form of the message id, assigned where the message entered Herald
 * @param senderId  the sending device, or {@code ""} when the app's server posted it
 * @param nodeId    the access node the sender is connected to (where its answer goes), {@code ""} for a post
 * @param payload   the bytes, owned by the record
 * @param sentAt    epoch milliseconds at which Herald accepted it
 */
public record RoomPost(String messageId, String appId, String roomId, String senderId, String nodeId, byte[] payload,
                       long sentAt) {

    public RoomPost {
        senderId = senderId == null ? "" : senderId;
        nodeId = nodeId == null ? "" : nodeId;
        payload = payload == null ? new byte[0] : payload;
    }

    public RoomRef room() {
        return new RoomRef(appId, roomId);
    }

    public boolean fromDevice() {
        return !senderId.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomPost p && sentAt == p.sentAt && Objects.equals(messageId, p.messageId)
                && Objects.equals(appId, p.appId) && Objects.equals(roomId, p.roomId)
                && Objects.equals(senderId, p.senderId) && Objects.equals(nodeId, p.nodeId)
                && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(messageId, appId, roomId, senderId, nodeId, sentAt) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "RoomPost[" + messageId + " to " + appId + "/" + roomId + " from '" + senderId + "', " + payload.length
                + " bytes]";
    }
}
