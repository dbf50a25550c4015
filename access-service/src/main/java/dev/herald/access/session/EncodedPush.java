package dev.herald.access.session;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * A push encoded once for every wire format: the native frame (length prefix included; native and
 * WebSocket connections write a {@code retainedDuplicate()} of it) and the bare payload (MQTT
 * connections write a duplicate of it behind their own small PUBLISH header). Reference counted
 * through the native buffer: the creator owns one reference. Also says whether the saver holds the
 * message until it is acknowledged ({@link #stored()}), which decides what a connection that cannot
 * write it now may do with it.
 */
public final class EncodedPush {

    private final Frame.Push push;
    private final ByteBuf nativeFrame;
    private final ByteBuf payload;
    private final boolean stored;

    private EncodedPush(Frame.Push push, ByteBuf nativeFrame, boolean stored) {
        this.push = push;
        this.nativeFrame = nativeFrame;
        this.stored = stored;
        // Wraps the record's array without copying. Unreleasable: every MQTT connection writes a duplicate,
        // and the write releases it; a plain wrapped buffer would be freed by the first connection's write.
        this.payload = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(push.payload()).asReadOnly());
    }

    /**
     * @param stored whether the message is offline-flagged (the saver keeps it for the device until it is
     *               acknowledged); a replayed push, and a broadcast with a sequence (it is in the broadcast
     *               log), always are
     * @throws IllegalArgumentException when the push breaks a limit of the native protocol
     */
    public static EncodedPush encode(ByteBufAllocator alloc, Frame.Push push, boolean stored) {
        return new EncodedPush(push, FrameCodec.encode(alloc, push), stored || push.replay() || push.broadcastSeq() > 0);
    }

    public Frame.Push push() {
        return push;
    }

    /**
     * Whether the saver keeps the message until the device acknowledges it: one not written now still comes
     * with the device's backlog. {@code false} for an online-only message, which is lost if not written.
     */
    public boolean stored() {
        return stored;
    }

    /** The shared native frame; a writer writes a {@code retainedDuplicate()}. */
    public ByteBuf nativeFrame() {
        return nativeFrame;
    }

    /** The shared payload; a writer writes a {@code duplicate()} (no release needed). */
    public ByteBuf payload() {
        return payload.duplicate();
    }

    public EncodedPush retain() {
        nativeFrame.retain();
        return this;
    }

    public void release() {
        nativeFrame.release();
    }
}
