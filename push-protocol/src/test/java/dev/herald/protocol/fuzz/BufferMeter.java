package dev.herald.protocol.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;

/**
 * The allocator a fuzzed channel uses, with an exact count of the bytes its buffers hold right now
 * (capacity of every buffer allocated and not yet released). The input itself is allocated here too,
 * one buffer per read with no spare room, so a decoder that keeps bytes has to copy them into a buffer
 * of its own, which is counted. Zero after a connection is closed and drained means nothing leaked;
 * the value between reads is what a connection costs at most. Unpooled, so a released buffer is gone at
 * once; direct, like a server's buffers.
 *
 * <p>This count is the leak check of the channel's own buffers, and a stricter one than Netty's leak
 * detector: it holds after every input, without waiting for a collection, and sees a buffer kept
 * alive by a reference (which the detector cannot). So these buffers are not also tracked by the
 * detector: at the paranoid level it records a stack trace at every access, which slowed a campaign
 * thirty-fold. The detector (paranoid in the test runs) still watches every other buffer, and
 * {@link FuzzRun} fails a campaign on any report it makes.
 */
public final class BufferMeter {

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true, true);
    private final ByteBufAllocatorMetric metric = allocator.metric();

    public ByteBufAllocator allocator() {
        return allocator;
    }

    /** Bytes held by buffers of this allocator that are not released yet. */
    public long live() {
        return metric.usedHeapMemory() + metric.usedDirectMemory();
    }

    /** One read of {@code length} bytes from {@code bytes}, in a buffer exactly that large. */
    public ByteBuf read(byte[] bytes, int offset, int length) {
        ByteBuf buf = allocator.directBuffer(length, length);
        buf.writeBytes(bytes, offset, length);
        return buf;
    }
}
