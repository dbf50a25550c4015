package dev.herald.core.room;

import java.util.List;

/**
 * The chatroom-service's internal HTTP API, called by push-api for the REST room operations. Bodies are
 * JSON, byte arrays base64. Errors are problem documents; 404 means no such member.
 */
public final class RoomApi {

    public static final String ROOMS_PATH = "/internal/v1/rooms/{appId}";
    public static final String ROOM_PATH = "/internal/v1/rooms/{appId}/{roomId}";
    public static final String MESSAGES_PATH = "/internal/v1/rooms/{appId}/{roomId}/messages";
    public static final String MEMBERS_PATH = "/internal/v1/rooms/{appId}/{roomId}/members";
    public static final String KICK_PATH = "/internal/v1/rooms/{appId}/{roomId}/members/{deviceId}/kick";
    public static final String MUTE_PATH = "/internal/v1/rooms/{appId}/{roomId}/members/{deviceId}/mute";

    private RoomApi() {
    }

    /** A message the app's server posts to a room. */
    public record PostRequest(byte[] payload) {
    }

    /** The post is in the room's intake: it will be ordered and delivered. */
    public record Posted(String messageId) {
    }

    /**
     * @param memberCount  members now (a counter read, no scan)
     * @param lastSeq      the room's newest sequence number (0 before its first message)
     * @param lastActivity epoch ms of the last join or message, 0 if unknown
     */
    public record RoomSummary(String roomId, long memberCount, long lastSeq, long lastActivity) {
    }

    public record RoomList(List<RoomSummary> rooms) {
        public RoomList {
            rooms = List.copyOf(rooms);
        }
    }

    public record Member(String deviceId, String nodeId) {
    }

    /** {@code nextCursor} is {@code null} after the last page. */
    public record MemberPage(List<Member> members, String nextCursor) {
        public MemberPage {
            members = List.copyOf(members);
        }
    }

    /** {@code banSeconds} 0: the device may join again at once. */
    public record KickRequest(long banSeconds) {
    }

    public record MuteRequest(long seconds) {
    }

    /** Until when (epoch ms) the member is muted. */
    public record Muted(long until) {
    }

    public record History(List<RoomMessage> messages) {
        public History {
            messages = List.copyOf(messages);
        }
    }
}
