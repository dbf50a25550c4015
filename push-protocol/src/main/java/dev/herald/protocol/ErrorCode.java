package dev.herald.protocol;

/**
 * Error codes carried by CONNACK, ERROR and DISCONNECT frames. Listed with their meaning in
 * {@code docs/protocol.md}; codes are stable once published.
 */
public enum ErrorCode {
    OK(0),
    MALFORMED_FRAME(1),
    UNSUPPORTED_VERSION(2),
    FRAME_TOO_LARGE(3),
    UNSUPPORTED_OPCODE(4),
    NOT_CONNECTED(5),
    ALREADY_CONNECTED(6),
    BAD_TOKEN(7),
    TOKEN_EXPIRED(8),
    UNKNOWN_APP(9),
    HANDSHAKE_TIMEOUT(10),
    HEARTBEAT_TIMEOUT(11),
    SESSION_REPLACED(12),
    SERVER_SHUTDOWN(13),
    CLIENT_DISCONNECT(14),
    TOO_MANY_APPS(15),
    /** An UPLINK was refused (app not logged in on the connection or no longer configured, empty payload). */
    UPLINK_REJECTED(16),
    /** A ROOM_SEND over the member's or the room's send rate; send again later. */
    ROOM_RATE_LIMITED(17),
    /** A ROOM_SEND from a member that is muted in that room. */
    ROOM_MUTED(18),
    /** Removed from a room by the app (ROOM_ACK REMOVED), or a ROOM_JOIN while banned after a kick. */
    ROOM_KICKED(19),
    /** A ROOM_SEND or ROOM_LEAVE for a room this connection has not joined. */
    NOT_IN_ROOM(20),
    /** A room frame refused for another reason (room id, app not logged in, limits, not stored); see the message. */
    ROOM_REJECTED(21),
    INTERNAL_ERROR(99);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL_ERROR;
    }
}
