package dev.herald.bench.device;

import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import dev.herald.protocol.Opcode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The few frames a simulated device sends often, written straight into a buffer: an ACK of many ids
 * without building a list of {@link MessageId}s, PING and PONG. Byte for byte what {@code FrameCodec}
 * writes (checked by the tests); CONNECT and DISCONNECT, once per connection, go through FrameCodec.
 */
final class NativeFrames {

    static final int HEADER = 11;

    private NativeFrames() {
    }

    /**
     * An ACK of {@code count} ids stored as pairs in {@code ids} (high, low, high, low, ...), plus the
     * broadcast cursor of {@code appId} when {@code cursor > 0}.
     */
    static ByteBuf ack(ByteBufAllocator alloc, int seq, long[] ids, int count, String appId, long cursor) {
        byte[] app = appId.getBytes(StandardCharsets.UTF_8);
        int cursorBytes = cursor > 0 ? 2 + app.length + 8 : 0;
        int bodyBytes = 2 + count * MessageId.BYTES + 1 + cursorBytes;
        ByteBuf out = alloc.buffer(HEADER + bodyBytes);
        header(out, Opcode.ACK, seq, bodyBytes);
        out.writeShort(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(ids[2 * i]);
            out.writeLong(ids[2 * i + 1]);
        }
        if (cursor > 0) {
            out.writeByte(1);
            out.writeShort(app.length);
            out.writeBytes(app);
            out.writeLong(cursor);
        } else {
            out.writeByte(0);
        }
        return out;
    }

    static ByteBuf ping(ByteBufAllocator alloc, int seq) {
        ByteBuf out = alloc.buffer(HEADER);
        header(out, Opcode.PING, seq, 0);
        return out;
    }

    static ByteBuf pong(ByteBufAllocator alloc, int seq) {
        ByteBuf out = alloc.buffer(HEADER);
        header(out, Opcode.PONG, seq, 0);
        return out;
    }

    private static void header(ByteBuf out, Opcode opcode, int seq, int bodyBytes) {
        out.writeInt(HEADER - 4 + bodyBytes);
        out.writeByte(Frame.VERSION);
        out.writeByte(opcode.code());
        out.writeByte(0);
        out.writeInt(seq);
    }
}
