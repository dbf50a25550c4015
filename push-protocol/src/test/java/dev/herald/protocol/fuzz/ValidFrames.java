package dev.herald.protocol.fuzz;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random frames that obey the protocol (docs/protocol.md), of every opcode (rooms included), with values biased to the
 * edges: strings of 0 and 1024 UTF-8 bytes with 1- to 4-byte characters, 1 and 16 apps, 0 and 4096
 * message ids, empty and frame-filling payloads, every flag byte, extreme sequence numbers and cursors.
 * A frame is generated to fit {@code maxFrameBytes} (length prefix included).
 */
public final class ValidFrames {

    private static final ErrorCode[] CODES = ErrorCode.values();

    private ValidFrames() {
    }

    /** A valid frame of any opcode that encodes to at most {@code maxFrameBytes}. */
    public static Frame any(SplittableRandom random, int maxFrameBytes) {
        int opcode = 1 + random.nextInt(15);
        // Strings and app lists shrink until the frame fits; payloads and id lists fill what is left.
        for (int stringCap = FrameCodec.MAX_STRING_BYTES, appCap = FrameCodec.MAX_APPS_PER_CONNECT; ;
             stringCap /= 2, appCap = Math.max(1, appCap / 2)) {
            Frame frame = ofOpcode(random, opcode, maxFrameBytes, stringCap, appCap);
            if (encodedSize(frame) <= maxFrameBytes) {
                return frame;
            }
        }
    }

    private static Frame ofOpcode(SplittableRandom random, int opcode, int maxFrameBytes, int stringCap, int appCap) {
        int seq = seq(random);
        switch (opcode) {
            case 1: {
                int apps = random.nextInt(4) == 0 ? 1 + random.nextInt(appCap) : 1;
                List<Frame.AppLogin> logins = new ArrayList<>(apps);
                for (int i = 0; i < apps; i++) {
                    logins.add(new Frame.AppLogin(string(random, stringCap), string(random, stringCap), longValue(random)));
                }
                return new Frame.Connect(seq, random.nextInt(0x10000), string(random, stringCap), logins);
            }
            case 2:
                return new Frame.ConnAck(seq, code(random), random.nextInt(0x10000), string(random, stringCap));
            case 3:
                return new Frame.Ping(seq);
            case 4:
                return new Frame.Pong(seq);
            case 5: {
                MessageId id = id(random);
                String appId = string(random, stringCap);
                int room = maxFrameBytes - 4 - FrameCodec.HEADER_BYTES - MessageId.BYTES - 2 - utf8Length(appId) - 8 - 4;
                return new Frame.Push(seq, random.nextInt(256), id, appId, longValue(random), payload(random, room));
            }
            case 6: {
                int cursors = random.nextInt(4) == 0 ? random.nextInt(appCap + 1) : random.nextInt(2);
                List<Frame.Cursor> list = new ArrayList<>(cursors);
                int room = maxFrameBytes - 4 - FrameCodec.HEADER_BYTES - 2 - 1;
                for (int i = 0; i < cursors; i++) {
                    Frame.Cursor cursor = new Frame.Cursor(string(random, stringCap), longValue(random));
                    room -= 2 + utf8Length(cursor.appId()) + 8;
                    list.add(cursor);
                }
                int maxIds = Math.max(0, Math.min(FrameCodec.MAX_IDS_PER_ACK, room / MessageId.BYTES));
                int ids = edge(random, maxIds);
                List<MessageId> idList = new ArrayList<>(ids);
                for (int i = 0; i < ids; i++) {
                    idList.add(id(random));
                }
                return new Frame.Ack(seq, idList, list);
            }
            case 7:
                return new Frame.ErrorFrame(seq, code(random), string(random, stringCap));
            case 8:
                return new Frame.Disconnect(seq, code(random), string(random, stringCap));
            case 9: {
                String appId = string(random, stringCap);
                int room = maxFrameBytes - 4 - FrameCodec.HEADER_BYTES - 2 - utf8Length(appId) - 4;
                return new Frame.Uplink(seq, appId, payload(random, room));
            }
            case 10:
                return new Frame.UplinkAck(seq, id(random));
            case 11:
                return new Frame.RoomJoin(seq, string(random, stringCap), string(random, stringCap), random.nextInt(0x10000));
            case 12:
                return new Frame.RoomLeave(seq, string(random, stringCap), string(random, stringCap));
            case 13: {
                String appId = string(random, stringCap);
                String roomId = string(random, stringCap);
                int room = maxFrameBytes - 4 - FrameCodec.HEADER_BYTES - 4 - utf8Length(appId) - utf8Length(roomId) - 4;
                return new Frame.RoomSend(seq, appId, roomId, payload(random, room));
            }
            case 14: {
                String appId = string(random, stringCap);
                String roomId = string(random, stringCap);
                String senderId = string(random, stringCap);
                int room = maxFrameBytes - 4 - FrameCodec.HEADER_BYTES - MessageId.BYTES - 6 - utf8Length(appId)
                        - utf8Length(roomId) - utf8Length(senderId) - 16 - 4;
                return new Frame.RoomMessage(seq, random.nextInt(256), id(random), appId, roomId, longValue(random),
                        senderId, longValue(random), payload(random, room));
            }
            default: {
                Frame.RoomAck.Kind[] kinds = Frame.RoomAck.Kind.values();
                // An all-zero id is how the wire says "none": it decodes as null.
                MessageId id = random.nextBoolean() ? null : new MessageId(random.nextLong() | 1, random.nextLong());
                return new Frame.RoomAck(seq, kinds[random.nextInt(kinds.length)], code(random), string(random, stringCap),
                        string(random, stringCap), longValue(random), random.nextLong() & 0xFFFFFFFFL, id);
            }
        }
    }

    /** Encodes a frame, length prefix included. */
    public static byte[] encode(Frame frame) {
        ByteBuf buf = Unpooled.buffer();
        try {
            FrameCodec.encode(frame, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    public static int encodedSize(Frame frame) {
        return encode(frame).length;
    }

    public static int seq(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            default -> random.nextInt();
        };
    }

    public static long longValue(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> 1 + random.nextInt(1000);
            default -> random.nextLong();
        };
    }

    public static MessageId id(SplittableRandom random) {
        return new MessageId(random.nextLong(), random.nextLong());
    }

    private static ErrorCode code(SplittableRandom random) {
        return CODES[random.nextInt(CODES.length)];
    }

    /** 0, the maximum, or between; never negative. */
    private static int edge(SplittableRandom random, int max) {
        if (max <= 0) {
            return 0;
        }
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> max;
            default -> random.nextInt(max + 1);
        };
    }

    private static byte[] payload(SplittableRandom random, int room) {
        return Mutations.randomBytes(random, edge(random, Math.max(0, room)));
    }

    /**
     * Valid UTF-8 of at most {@code maxBytes} bytes (and never over the protocol's 1024): empty, the
     * maximum, or between; characters of one to four bytes, control characters included.
     */
    public static String string(SplittableRandom random, int maxBytes) {
        int target = edge(random, Math.min(maxBytes, FrameCodec.MAX_STRING_BYTES));
        StringBuilder s = new StringBuilder();
        int bytes = 0;
        boolean ascii = random.nextInt(3) == 0;
        while (bytes < target) {
            int codePoint;
            int left = target - bytes;
            int kind = ascii ? 0 : random.nextInt(5);
            if (kind == 4 && left >= 4) {
                codePoint = 0x10000 + random.nextInt(0x10FFFF - 0x10000 + 1);
            } else if (kind == 3 && left >= 3) {
                do {
                    codePoint = 0x800 + random.nextInt(0xFFFF - 0x800 + 1);
                } while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
            } else if (kind == 2 && left >= 2) {
                codePoint = 0x80 + random.nextInt(0x7FF - 0x80 + 1);
            } else {
                codePoint = kind == 1 ? random.nextInt(0x20) : 0x20 + random.nextInt(0x5F);
            }
            s.appendCodePoint(codePoint);
            bytes += utf8Length(codePoint);
        }
        return s.toString();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
