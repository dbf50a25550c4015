package dev.herald.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes frames of the native protocol, independent of the transport that carries them.
 *
 * <pre>
 * +----------------+---------+--------+-------+------------+--------------+
 * | length u32     | version | opcode | flags | seq u32    | body ...     |
 * | (bytes after)  | u8      | u8     | u8    |            |              |
 * +----------------+---------+--------+-------+------------+--------------+
 * </pre>
 *
 * Strings are a u16 byte length followed by UTF-8; all integers are big-endian.
 */
public final class FrameCodec {

    /** Bytes of the length prefix. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Bytes of version, opcode, flags and sequence after the length prefix. */
    public static final int HEADER_BYTES = 7;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

    /** Longest string (in UTF-8 bytes) a frame may carry. */
    public static final int MAX_STRING_BYTES = 1024;
    /** Most apps one CONNECT may log in to, and most cursors one ACK may carry. */
    public static final int MAX_APPS_PER_CONNECT = 16;
    /** Most message ids one ACK may carry; a sender with more splits them over several ACKs. */
    public static final int MAX_IDS_PER_ACK = 4096;

    private FrameCodec() {
    }

    /**
     * Encodes a whole frame, length prefix included, into a new buffer the caller owns and must
     * release (or hand to a channel write, which releases it).
     */
    public static ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
        ByteBuf out = alloc.buffer(estimate(frame));
        try {
            encode(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Writes a whole frame, length prefix included, to {@code out}.
     *
     * @throws IllegalArgumentException when the frame breaks a limit of the protocol (string length,
     *         app or id count, an unsigned 16-bit field out of range): the peer would refuse it
     */
    public static void encode(Frame frame, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        if ((frame.flags() & ~0xFF) != 0) {
            throw new IllegalArgumentException("flags " + frame.flags() + " do not fit in a byte");
        }
        out.writeByte(Frame.VERSION);
        out.writeByte(frame.opcode().code());
        out.writeByte(frame.flags());
        out.writeInt(frame.seq());
        writeBody(frame, out);
        out.setInt(start, out.writerIndex() - start - LENGTH_FIELD_BYTES);
    }

    private static void writeBody(Frame frame, ByteBuf out) {
        if (frame instanceof Frame.Connect c) {
            if (c.apps().isEmpty() || c.apps().size() > MAX_APPS_PER_CONNECT) {
                throw new IllegalArgumentException("CONNECT must log in to 1.." + MAX_APPS_PER_CONNECT + " apps, not " + c.apps().size());
            }
            writeUnsignedShort(out, c.keepAliveSeconds(), "keepAliveSeconds");
            writeString(out, c.deviceId());
            out.writeByte(c.apps().size());
            for (Frame.AppLogin app : c.apps()) {
                writeString(out, app.appId());
                writeString(out, app.token());
                out.writeLong(app.broadcastCursor());
            }
        } else if (frame instanceof Frame.ConnAck a) {
            out.writeShort(a.code().code());
            writeUnsignedShort(out, a.heartbeatSeconds(), "heartbeatSeconds");
            writeMessage(out, a.message());
        } else if (frame instanceof Frame.Push p) {
            writeMessageId(out, p.messageId());
            writeString(out, p.appId());
            out.writeLong(p.broadcastSeq());
            out.writeInt(p.payload().length);
            out.writeBytes(p.payload());
        } else if (frame instanceof Frame.Ack a) {
            if (a.messageIds().size() > MAX_IDS_PER_ACK || a.cursors().size() > MAX_APPS_PER_CONNECT) {
                throw new IllegalArgumentException("ACK carries at most " + MAX_IDS_PER_ACK + " ids and "
                        + MAX_APPS_PER_CONNECT + " cursors, not " + a.messageIds().size() + " and " + a.cursors().size());
            }
            out.writeShort(a.messageIds().size());
            for (MessageId id : a.messageIds()) {
                writeMessageId(out, id);
            }
            out.writeByte(a.cursors().size());
            for (Frame.Cursor cursor : a.cursors()) {
                writeString(out, cursor.appId());
                out.writeLong(cursor.broadcastSeq());
            }
        } else if (frame instanceof Frame.ErrorFrame e) {
            out.writeShort(e.code().code());
            writeMessage(out, e.message());
        } else if (frame instanceof Frame.Disconnect d) {
            out.writeShort(d.code().code());
            writeMessage(out, d.message());
        } else if (frame instanceof Frame.Uplink u) {
            writeString(out, u.appId());
            out.writeInt(u.payload().length);
            out.writeBytes(u.payload());
        } else if (frame instanceof Frame.UplinkAck a) {
            writeMessageId(out, a.messageId());
        } else if (frame instanceof Frame.RoomJoin j) {
            writeString(out, j.appId());
            writeString(out, j.roomId());
            writeUnsignedShort(out, j.historyLimit(), "historyLimit");
        } else if (frame instanceof Frame.RoomLeave l) {
            writeString(out, l.appId());
            writeString(out, l.roomId());
        } else if (frame instanceof Frame.RoomSend r) {
            writeString(out, r.appId());
            writeString(out, r.roomId());
            out.writeInt(r.payload().length);
            out.writeBytes(r.payload());
        } else if (frame instanceof Frame.RoomMessage m) {
            writeMessageId(out, m.messageId());
            writeString(out, m.appId());
            writeString(out, m.roomId());
            out.writeLong(m.roomSeq());
            writeString(out, m.senderId());
            out.writeLong(m.sentAt());
            out.writeInt(m.payload().length);
            out.writeBytes(m.payload());
        } else if (frame instanceof Frame.RoomAck a) {
            if (a.memberCount() < 0 || a.memberCount() > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("memberCount " + a.memberCount() + " is outside 0..2^32-1");
            }
            out.writeByte(a.kind().code());
            out.writeShort(a.code().code());
            writeString(out, a.appId());
            writeString(out, a.roomId());
            out.writeLong(a.roomSeq());
            out.writeInt((int) a.memberCount());
            if (a.messageId() == null) {
                out.writeZero(MessageId.BYTES);
            } else {
                writeMessageId(out, a.messageId());
            }
        }
        // PING and PONG have no body.
    }

    /**
     * Decodes one frame from {@code in}, which holds exactly the bytes after the length prefix.
     *
     * @throws ProtocolException when the bytes are not a valid frame
     */
    public static Frame decode(ByteBuf in) {
        if (in.readableBytes() < HEADER_BYTES) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "frame shorter than its header");
        }
        int version = in.readUnsignedByte();
        int code = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int seq = in.readInt();
        if (version != Frame.VERSION) {
            throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + version + " is not supported");
        }
        Opcode opcode = Opcode.of(code);
        if (opcode == null) {
            throw new UnsupportedOpcodeException(seq, code);
        }
        try {
            Frame frame = decodeBody(opcode, flags, seq, in);
            if (in.isReadable()) {
                throw new ProtocolException(ErrorCode.MALFORMED_FRAME,
                        in.readableBytes() + " trailing bytes after " + opcode + " body");
            }
            return frame;
        } catch (IndexOutOfBoundsException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, opcode + " body is truncated");
        }
    }

    private static Frame decodeBody(Opcode opcode, int flags, int seq, ByteBuf in) {
        switch (opcode) {
            case CONNECT: {
                int keepAlive = in.readUnsignedShort();
                String deviceId = readString(in);
                int count = in.readUnsignedByte();
                if (count == 0) {
                    throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "CONNECT logs in to no app");
                }
                if (count > MAX_APPS_PER_CONNECT) {
                    throw new ProtocolException(ErrorCode.TOO_MANY_APPS,
                            "CONNECT may log in to at most " + MAX_APPS_PER_CONNECT + " apps, not " + count);
                }
                List<Frame.AppLogin> apps = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    apps.add(new Frame.AppLogin(readString(in), readString(in), in.readLong()));
                }
                return new Frame.Connect(seq, keepAlive, deviceId, apps);
            }
            case CONNACK:
                return new Frame.ConnAck(seq, ErrorCode.of(in.readUnsignedShort()), in.readUnsignedShort(), readString(in));
            case PING:
                return new Frame.Ping(seq);
            case PONG:
                return new Frame.Pong(seq);
            case PUSH: {
                MessageId id = readMessageId(in);
                String appId = readString(in);
                long broadcastSeq = in.readLong();
                return new Frame.Push(seq, flags, id, appId, broadcastSeq, readPayload(in, "PUSH"));
            }
            case ACK: {
                int count = in.readUnsignedShort();
                if (count > MAX_IDS_PER_ACK || (long) count * MessageId.BYTES > in.readableBytes()) {
                    throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "ACK of " + count + " ids exceeds frame");
                }
                List<MessageId> ids = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    ids.add(readMessageId(in));
                }
                int cursorCount = in.readUnsignedByte();
                if (cursorCount > MAX_APPS_PER_CONNECT) {
                    throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "ACK carries too many cursors: " + cursorCount);
                }
                List<Frame.Cursor> cursors = new ArrayList<>(cursorCount);
                for (int i = 0; i < cursorCount; i++) {
                    cursors.add(new Frame.Cursor(readString(in), in.readLong()));
                }
                return new Frame.Ack(seq, ids, cursors);
            }
            case ERROR:
                return new Frame.ErrorFrame(seq, ErrorCode.of(in.readUnsignedShort()), readString(in));
            case DISCONNECT:
                return new Frame.Disconnect(seq, ErrorCode.of(in.readUnsignedShort()), readString(in));
            case UPLINK: {
                String appId = readString(in);
                return new Frame.Uplink(seq, appId, readPayload(in, "UPLINK"));
            }
            case UPLINK_ACK:
                return new Frame.UplinkAck(seq, readMessageId(in));
            case ROOM_JOIN:
                return new Frame.RoomJoin(seq, readString(in), readString(in), in.readUnsignedShort());
            case ROOM_LEAVE:
                return new Frame.RoomLeave(seq, readString(in), readString(in));
            case ROOM_SEND: {
                String appId = readString(in);
                String roomId = readString(in);
                return new Frame.RoomSend(seq, appId, roomId, readPayload(in, "ROOM_SEND"));
            }
            case ROOM_MESSAGE: {
                MessageId id = readMessageId(in);
                String appId = readString(in);
                String roomId = readString(in);
                long roomSeq = in.readLong();
                String senderId = readString(in);
                long sentAt = in.readLong();
                return new Frame.RoomMessage(seq, flags, id, appId, roomId, roomSeq, senderId, sentAt,
                        readPayload(in, "ROOM_MESSAGE"));
            }
            case ROOM_ACK: {
                int kindCode = in.readUnsignedByte();
                Frame.RoomAck.Kind kind = Frame.RoomAck.Kind.of(kindCode);
                if (kind == null) {
                    throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "ROOM_ACK of unknown kind " + kindCode);
                }
                ErrorCode code = ErrorCode.of(in.readUnsignedShort());
                String appId = readString(in);
                String roomId = readString(in);
                long roomSeq = in.readLong();
                long members = in.readUnsignedInt();
                MessageId id = readMessageId(in);
                return new Frame.RoomAck(seq, kind, code, appId, roomId, roomSeq, members,
                        id.high() == 0 && id.low() == 0 ? null : id);
            }
            default:
                throw new UnsupportedOpcodeException(seq, opcode.code());
        }
    }

    private static void writeUnsignedShort(ByteBuf out, int value, String field) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0..65535");
        }
        out.writeShort(value);
    }

    static void writeString(ByteBuf out, String s) {
        String value = s == null ? "" : s;
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
        if (written > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string of " + written + " bytes exceeds " + MAX_STRING_BYTES);
        }
        out.setShort(lengthIndex, written);
    }

    /**
     * Writes the human-readable message of a CONNACK, ERROR or DISCONNECT, cut to {@value #MAX_STRING_BYTES}
     * bytes of UTF-8 (at a character boundary) rather than refused: a message often quotes what the peer
     * sent (an unknown app id of 1024 bytes), and a refusal that cannot be encoded would reach the peer as
     * a close without a word.
     */
    static void writeMessage(ByteBuf out, String s) {
        String value = s == null ? "" : s;
        int lengthIndex = out.writerIndex();
        out.writeShort(0);
        int written = out.writeCharSequence(value, StandardCharsets.UTF_8);
        if (written > MAX_STRING_BYTES) {
            out.writerIndex(lengthIndex + 2);
            written = out.writeCharSequence(prefixOfUtf8Length(value, MAX_STRING_BYTES), StandardCharsets.UTF_8);
        }
        out.setShort(lengthIndex, written);
    }

    /** The longest prefix of {@code s} whose UTF-8 takes at most {@code maxBytes}; a lone surrogate takes one ('?'). */
    private static String prefixOfUtf8Length(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int codePoint = s.codePointAt(i);
            int size = codePoint < 0x80 || Character.isSurrogate((char) codePoint) ? 1
                    : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return s.substring(0, i);
    }

    static String readString(ByteBuf in) {
        int length = in.readUnsignedShort();
        if (length > MAX_STRING_BYTES || length > in.readableBytes()) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, "string length " + length + " exceeds limit or frame");
        }
        String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return s;
    }

    private static byte[] readPayload(ByteBuf in, String frameName) {
        int length = in.readInt();
        if (length < 0 || length > in.readableBytes()) {
            throw new ProtocolException(ErrorCode.MALFORMED_FRAME, frameName + " payload length " + length + " exceeds frame");
        }
        byte[] payload = new byte[length];
        in.readBytes(payload);
        return payload;
    }

    private static void writeMessageId(ByteBuf out, MessageId id) {
        out.writeLong(id.high());
        out.writeLong(id.low());
    }

    private static MessageId readMessageId(ByteBuf in) {
        return new MessageId(in.readLong(), in.readLong());
    }

    private static int estimate(Frame frame) {
        if (frame instanceof Frame.Push p) {
            int appIdLength = p.appId() == null ? 0 : p.appId().length();
            return LENGTH_FIELD_BYTES + HEADER_BYTES + MessageId.BYTES + 2 + appIdLength * 3 + 12 + p.payload().length;
        }
        if (frame instanceof Frame.Uplink u) {
            int appIdLength = u.appId() == null ? 0 : u.appId().length();
            return LENGTH_FIELD_BYTES + HEADER_BYTES + 2 + appIdLength * 3 + 4 + u.payload().length;
        }
        if (frame instanceof Frame.RoomMessage m) {
            return 128 + 3 * (length(m.appId()) + length(m.roomId()) + length(m.senderId())) + m.payload().length;
        }
        if (frame instanceof Frame.RoomSend r) {
            return 64 + 3 * (length(r.appId()) + length(r.roomId())) + r.payload().length;
        }
        return 128;
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** A frame whose opcode this version does not implement; the connection may continue. */
    public static final class UnsupportedOpcodeException extends RuntimeException {
        private final int seq;
        private final int opcode;

        UnsupportedOpcodeException(int seq, int opcode) {
            super("opcode 0x" + Integer.toHexString(opcode) + " is reserved or unknown in protocol version 1", null, false, false);
            this.seq = seq;
            this.opcode = opcode;
        }

        public int seq() {
            return seq;
        }

        public int opcode() {
            return opcode;
        }
    }
}
