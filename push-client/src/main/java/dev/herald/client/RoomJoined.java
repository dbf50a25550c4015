package dev.herald.client;

/**
 * A join the server confirmed.
 *
 * @param roomSeq     the room's newest sequence number when the device was added (history up to it may follow)
 * @param memberCount members of the room after the join
 */
public record RoomJoined(String appId, String roomId, long roomSeq, long memberCount) {
}
