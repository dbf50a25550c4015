package dev.herald.access.session;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A room message encoded once per node as a native ROOM_MESSAGE frame (length prefix included); every member's
 * connection writes a {@code retainedDuplicate()} of it. Reference counted: the creator owns one reference.
 */
public final class EncodedRoomMessage {

    private final long roomSeq;
    private final ByteBuf nativeFrame;

    private EncodedRoomMessage(long roomSeq, ByteBuf nativeFrame) {
        this.roomSeq = roomSeq;
        this.nativeFrame = nativeFrame;
    }

    /** @throws IllegalArgumentException when the message breaks a limit of the native protocol */
    public static EncodedRoomMessage encode(ByteBufAllocator alloc, Frame.RoomMessage message) {
        return new EncodedRoomMessage(message.roomSeq(), FrameCodec.encode(alloc, message));
    }

    /** The message's place in its room's order. */
    public long roomSeq() {
        return roomSeq;
    }

    /** The shared native frame; a writer writes a {@code retainedDuplicate()}. */
    public ByteBuf nativeFrame() {
        return nativeFrame;
    }

    public EncodedRoomMessage retain() {
        nativeFrame.retain();
        return this;
    }

    public void release() {
        nativeFrame.release();
    }
}
