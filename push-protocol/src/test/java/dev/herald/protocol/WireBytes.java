package dev.herald.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Test helpers between frames and the bytes on the wire. */
final class WireBytes {

    private WireBytes() {
    }

    /** Encodes a frame, length prefix included, into a heap array. */
    static byte[] encode(Frame frame) {
        ByteBuf buf = FrameCodec.encode(Unpooled.buffer().alloc(), frame);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static String hex(Frame frame) {
        return ByteBufUtil.hexDump(encode(frame));
    }

    /** Decodes one whole frame (length prefix included) and releases the buffer. */
    static Frame decodeAndRelease(ByteBuf wire) {
        try {
            int length = wire.readInt();
            if (length != wire.readableBytes()) {
                throw new AssertionError("length prefix " + length + " but " + wire.readableBytes() + " bytes follow");
            }
            return FrameCodec.decode(wire);
        } finally {
            wire.release();
        }
    }

    /** Decodes the bytes after the length prefix. */
    static Frame decodeBody(byte[] afterLengthPrefix) {
        ByteBuf buf = Unpooled.wrappedBuffer(afterLengthPrefix);
        try {
            return FrameCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    /** A frame with the given header and raw body bytes, length prefix included. */
    static byte[] raw(int version, int opcode, int flags, int seq, byte... body) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(FrameCodec.HEADER_BYTES + body.length);
            buf.writeByte(version).writeByte(opcode).writeByte(flags).writeInt(seq);
            buf.writeBytes(body);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
