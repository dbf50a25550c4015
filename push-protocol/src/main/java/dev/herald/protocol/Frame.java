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

    /** Flags byte of the frame header; only PUSH defines flags in version 1. */
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
}
