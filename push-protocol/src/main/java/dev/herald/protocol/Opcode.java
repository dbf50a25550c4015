package dev.herald.protocol;

/**
 * Frame opcodes of protocol version 1. Codes 0x0B–0x0F are the chat room frames; 0x10–0x3F are
 * reserved for features that follow: a peer that receives one it does not know answers with an
 * {@link ErrorCode#UNSUPPORTED_OPCODE} error frame and keeps the connection.
 */
public enum Opcode {
    CONNECT(0x01),
    CONNACK(0x02),
    PING(0x03),
    PONG(0x04),
    PUSH(0x05),
    ACK(0x06),
    ERROR(0x07),
    DISCONNECT(0x08),
    UPLINK(0x09),
    UPLINK_ACK(0x0A),
    ROOM_JOIN(0x0B),
    ROOM_LEAVE(0x0C),
    ROOM_SEND(0x0D),
    ROOM_MESSAGE(0x0E),
    ROOM_ACK(0x0F);

    private static final Opcode[] BY_CODE = new Opcode[256];

    static {
        for (Opcode op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Returns the opcode for a code, or {@code null} when the code is reserved or unknown. */
    public static Opcode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
