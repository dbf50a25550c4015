package dev.herald.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One frame of the native protocol (version {@value #VERSION}). The byte layout of every frame is
 * specified in {@code docs/protocol.md}; {@link FrameCodec} implements it.
 */
public sealed interface Frame {

    int VERSION = 1;

    /** The sender's sequence number; replies (CONNACK, ERROR) echo the sequence of the request. */
    int seq();

    Opcode opcode();

    /** Flags byte of the frame header; only PUSH and ROOM_MESSAGE define flags in version 1. */
    default int flags() {
        return 0;
    }

    /** One app a device logs in to in a CONNECT; a connection may carry several apps. */
    record AppLogin(String appId, String token, long broadcastCursor) {
    }

    record Connect(int seq, int keepAliveSeconds, String deviceId, List<AppLogin> apps) implements Frame {
        public Connect {
            apps = List.copyOf(apps);
        }

        public Connect(int seq, int keepAliveSeconds, String deviceId, String appId, String token, long cursor) {
            this(seq, keepAliveSeconds, deviceId, List.of(new AppLogin(appId, token, cursor)));
        }

        @Override
        public Opcode opcode() {
            return Opcode.CONNECT;
        }
    }

    /** {@code code} is {@link ErrorCode#OK} when the connection is accepted; otherwise the server closes it. */
    record ConnAck(int seq, ErrorCode code, int heartbeatSeconds, String message) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.CONNACK;
        }
    }

    record Ping(int seq) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.PING;
        }
    }

    record Pong(int seq) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.PONG;
        }
    }

    /**
     * A message for the device. {@code broadcastSeq} is the position in the app's broadcast log, or 0
     * for a unicast. The payload array is owned by the frame; callers must not modify it.
     */
    record Push(int seq, int flags, MessageId messageId, String appId, long broadcastSeq, byte[] payload)
            implements Frame {

        /** The message was sent to the whole app. */
        public static final int FLAG_BROADCAST = 0x01;
        /** The message comes from the offline store (sent while the device was away). */
        public static final int FLAG_REPLAY = 0x02;

        public boolean broadcast() {
            return (flags & FLAG_BROADCAST) != 0;
        }

        public boolean replay() {
            return (flags & FLAG_REPLAY) != 0;
        }

        @Override
        public Opcode opcode() {
            return Opcode.PUSH;
        }

        // A record compares arrays by identity; two pushes with equal bytes are the same frame.
        @Override
        public boolean equals(Object o) {
            return o instanceof Push p
                    && seq == p.seq
                    && flags == p.flags
                    && broadcastSeq == p.broadcastSeq
                    && Objects.equals(messageId, p.messageId)
                    && Objects.equals(appId, p.appId)
                    && Arrays.equals(payload, p.payload);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(seq, flags, messageId, appId, broadcastSeq) + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Push[seq=" + seq + ", flags=" + flags + ", messageId=" + messageId + ", appId=" + appId
                    + ", broadcastSeq=" + broadcastSeq + ", payload=" + (payload == null ? "null" : payload.length + " bytes") + "]";
        }
    }

    /** The newest broadcast sequence a device has seen for one app. */
    record Cursor(String appId, long broadcastSeq) {
    }

    /** Acknowledges a batch of pushes, and optionally moves the device's broadcast cursors. */
    record Ack(int seq, List<MessageId> messageIds, List<Cursor> cursors) implements Frame {
        public Ack {
            messageIds = List.copyOf(messageIds);
            cursors = List.copyOf(cursors);
        }

        @Override
        public Opcode opcode() {
            return Opcode.ACK;
        }
    }

    /** A non-fatal error: the frame with sequence {@code seq} was refused, the connection stays open. */
    record ErrorFrame(int seq, ErrorCode code, String message) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.ERROR;
        }
    }

    /** The sender closes the connection after this frame, for the given reason. */
    record Disconnect(int seq, ErrorCode code, String message) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.DISCONNECT;
        }
    }

    /**
     * A message from the device to one of the apps it is logged in to. The server answers with an
     * {@link UplinkAck} of the same {@code seq} once the message is stored durably, or with an
     * {@link ErrorFrame} carrying {@link ErrorCode#UPLINK_REJECTED}. The payload array is owned by the
     * frame; callers must not modify it.
     */
    record Uplink(int seq, String appId, byte[] payload) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.UPLINK;
        }

        // A record compares arrays by identity; two uplinks with equal bytes are the same frame.
        @Override
        public boolean equals(Object o) {
            return o instanceof Uplink u
                    && seq == u.seq
                    && Objects.equals(appId, u.appId)
                    && Arrays.equals(payload, u.payload);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(seq, appId) + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Uplink[seq=" + seq + ", appId=" + appId + ", payload="
                    + (payload == null ? "null" : payload.length + " bytes") + "]";
        }
    }

    /** The uplink with sequence {@code seq} was stored durably under the server-assigned {@code messageId}. */
    record UplinkAck(int seq, MessageId messageId) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.UPLINK_ACK;
        }
    }

    /**
     * Joins a chat room of one of the connection's apps. The server answers with a {@link RoomAck} of kind
     * {@link RoomAck.Kind#JOINED} and the same {@code seq}, followed by up to {@code historyLimit} recent messages of
     * the room (flag {@link RoomMessage#FLAG_HISTORY}), or with an {@link ErrorFrame}.
     *
     * @param historyLimit most history messages wanted, 0..65535; the server sends at most its own limit
     */
    record RoomJoin(int seq, String appId, String roomId, int historyLimit) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.ROOM_JOIN;
        }
    }

    /** Leaves a room; answered with a {@link RoomAck} of kind {@link RoomAck.Kind#LEFT}, or ERROR NOT_IN_ROOM. */
    record RoomLeave(int seq, String appId, String roomId) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.ROOM_LEAVE;
        }
    }

    /**
     * A message from a member to its room. Answered with a {@link RoomAck} of kind {@link RoomAck.Kind#SENT} (the
     * room's sequence number and the message id) once the room has ordered it, or with an {@link ErrorFrame}
     * (rate limited, muted, not in the room). The payload array is owned by the frame.
     */
    record RoomSend(int seq, String appId, String roomId, byte[] payload) implements Frame {
        @Override
        public Opcode opcode() {
            return Opcode.ROOM_SEND;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RoomSend r && seq == r.seq && Objects.equals(appId, r.appId)
                    && Objects.equals(roomId, r.roomId) && Arrays.equals(payload, r.payload);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(seq, appId, roomId) + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "RoomSend[seq=" + seq + ", appId=" + appId + ", roomId=" + roomId + ", payload="
                    + (payload == null ? "null" : payload.length + " bytes") + "]";
        }
    }

    /**
     * A message of a room the device has joined. {@code roomSeq} is its place in the room's one order (1, 2, ...):
     * every member sees a room's messages in increasing {@code roomSeq}. {@code senderId} is the sending device,
     * empty when the app's server posted it. The payload array is owned by the frame.
     */
    record RoomMessage(int seq, int flags, MessageId messageId, String appId, String roomId, long roomSeq,
                       String senderId, long sentAt, byte[] payload) implements Frame {

        /** The message was sent before this member joined; it comes from the room's history. */
        public static final int FLAG_HISTORY = 0x01;

        public boolean history() {
            return (flags & FLAG_HISTORY) != 0;
        }

        @Override
        public Opcode opcode() {
            return Opcode.ROOM_MESSAGE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RoomMessage m && seq == m.seq && flags == m.flags && roomSeq == m.roomSeq
                    && sentAt == m.sentAt && Objects.equals(messageId, m.messageId) && Objects.equals(appId, m.appId)
                    && Objects.equals(roomId, m.roomId) && Objects.equals(senderId, m.senderId)
                    && Arrays.equals(payload, m.payload);
        }

        @Override
        public int hashCode() {
            return 31 * Objects.hash(seq, flags, messageId, appId, roomId, roomSeq, senderId, sentAt)
                    + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "RoomMessage[seq=" + seq + ", flags=" + flags + ", messageId=" + messageId + ", appId=" + appId
                    + ", roomId=" + roomId + ", roomSeq=" + roomSeq + ", senderId=" + senderId + ", sentAt=" + sentAt
                    + ", payload=" + (payload == null ? "null" : payload.length + " bytes") + "]";
        }
    }

    /**
     * The answer to a room request ({@code seq} echoes it), or a notice from the server ({@code seq} 0, kind
     * {@link Kind#REMOVED}). Fields a kind does not use are 0 (and the message id all zero bytes, {@code null}
     * here).
     *
     * @param code        OK, or for REMOVED the reason (ROOM_KICKED)
     * @param roomSeq     JOINED: the room's newest sequence number at the join; SENT: the message's
     * @param memberCount JOINED: members of the room after the join
     * @param messageId   SENT: the id of the sent message
     */
    record RoomAck(int seq, Kind kind, ErrorCode code, String appId, String roomId, long roomSeq, long memberCount,
                   MessageId messageId) implements Frame {

        /** What a ROOM_ACK answers. */
        public enum Kind {
            JOINED(1), LEFT(2), SENT(3), REMOVED(4);

            private final int code;

            Kind(int code) {
                this.code = code;
            }

            public int code() {
                return code;
            }

            /** The kind of a code, or {@code null} for an unknown one. */
            public static Kind of(int code) {
                for (Kind k : values()) {
                    if (k.code == code) {
                        return k;
                    }
                }
                return null;
            }
        }

        @Override
        public Opcode opcode() {
            return Opcode.ROOM_ACK;
        }
    }
}
