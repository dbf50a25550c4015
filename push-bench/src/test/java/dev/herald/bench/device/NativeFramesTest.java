package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written frames must be byte for byte what the reference codec writes. */
class NativeFramesTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void ackWithCursorEqualsTheCodecsEncoding() {
        MessageId a = MessageId.generate();
        MessageId b = MessageId.generate();
        long[] ids = {a.high(), a.low(), b.high(), b.low()};
        Frame.Ack expected = new Frame.Ack(5, List.of(a, b), List.of(new Frame.Cursor("demo", 42)));
        assertSameBytes(NativeFrames.ack(ALLOC, 5, ids, 2, "demo", 42), FrameCodec.encode(ALLOC, expected));
    }

    @Test
    void ackWithoutCursorEqualsTheCodecsEncoding() {
        MessageId a = MessageId.generate();
        Frame.Ack expected = new Frame.Ack(6, List.of(a), List.of());
        assertSameBytes(NativeFrames.ack(ALLOC, 6, new long[] {a.high(), a.low()}, 1, "demo", 0), FrameCodec.encode(ALLOC, expected));
    }

    @Test
    void pingAndPongEqualTheCodecsEncoding() {
        assertSameBytes(NativeFrames.ping(ALLOC, 1), FrameCodec.encode(ALLOC, new Frame.Ping(1)));
        ByteBuf ping = NativeFrames.ping(ALLOC, 1);
        try {
            assertThat(ByteBufUtil.hexDump(ping)).as("docs/protocol.md's worked example").isEqualTo("0000000701030000000001");
        } finally {
            ping.release();
        }
        assertSameBytes(NativeFrames.pong(ALLOC, 9), FrameCodec.encode(ALLOC, new Frame.Pong(9)));
    }

    private static void assertSameBytes(ByteBuf actual, ByteBuf expected) {
        try {
            assertThat(ByteBufUtil.hexDump(actual)).isEqualTo(ByteBufUtil.hexDump(expected));
        } finally {
            actual.release();
            expected.release();
        }
    }
}
