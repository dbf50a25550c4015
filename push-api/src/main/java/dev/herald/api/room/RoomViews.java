package dev.herald.api.room;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The bodies of the room endpoints. */
final class RoomViews {

    private RoomViews() {
    }

    @Schema(name = "PostRoomMessageRequest", description = """
            A message for every member of the room. Give exactly one payload (`text` or `base64`), 1 to \
            `herald.api.max-payload-bytes` bytes (4096 by default) once decoded.""")
    record PostRequest(
            @Schema(description = "Payload: a UTF-8 string.", example = "Welcome to the lobby") String text,
            @Schema(description = "Payload: bytes in standard base64.", example = "SGVsbG8=", format = "byte") String base64) {
    }

    @Schema(name = "RoomMessageAccepted", description = "The message is queued for the room's sequencer.")
    record Posted(@Schema(example = "01JDN5XG0028T8KAYDXW0J6HB7") String id, String appId, String roomId) {
    }

    @Schema(name = "Room", description = "A room and its counters (read from counters, never a scan of members).")
    record Room(
            @Schema(example = "lobby") String roomId,
            @Schema(description = "Members now (connections that joined, on any access node).", example = "5000") long memberCount,
            @Schema(description = "The room's newest sequence number (its message count), 0 before the first.",
                    example = "42") long lastSeq,
            @Schema(description = "Last join or message, epoch milliseconds; 0 if unknown.") long lastActivity) {
    }

    @Schema(name = "RoomList")
    record RoomList(@Schema(description = "Most recently active first.") List<Room> rooms) {
    }

    @Schema(name = "RoomMember")
    record Member(@Schema(example = "device-42") String deviceId,
                  @Schema(description = "The access node the member is connected to.", example = "access-1") String nodeId) {
    }

    @Schema(name = "RoomMemberPage")
    record MemberPage(List<Member> members,
                      @Schema(description = "Pass as `cursor` for the next page; absent after the last page.")
                      String nextCursor) {
    }

    @Schema(name = "RoomMessage", description = "A message of the room's history.")
    record Message(@Schema(example = "01JDN5XG0028T8KAYDXW0J6HB7") String id,
                   @Schema(description = "Its place in the room's order.", example = "42") long seq,
                   @Schema(description = "The sending device, empty when your server posted it.") String senderId,
                   @Schema(description = "Accepted at, epoch milliseconds.") long sentAt,
                   @Schema(description = "The payload, base64.", format = "byte") String base64) {
    }

    @Schema(name = "RoomHistory")
    record History(@Schema(description = "Oldest first.") List<Message> messages) {
    }

    @Schema(name = "KickRequest")
    record KickRequest(@Schema(description = "Seconds during which the device may not join again; 0 (default) "
            + "lets it join at once.", example = "600", minimum = "0") Long banSeconds) {
    }

    @Schema(name = "MuteRequest")
    record MuteRequest(@Schema(description = "Seconds the member may not send, 1..31536000.", example = "600")
                       Long seconds) {
    }

    @Schema(name = "Muted")
    record Muted(@Schema(description = "Muted until, epoch milliseconds.") long until) {
    }
}
