package dev.herald.bench.jmh;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The native protocol's codec on the hot frames: PUSH (what an access node writes per message; a
 * device decodes it) and ACK of 64 ids (what a device writes per read burst; the node decodes it).
 * Buffers come from the pooled allocator, as on a channel.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBench {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @State(Scope.Thread)
    public static class PushFrame {
        @Param({"64", "1024"})
        int payloadBytes;

        Frame.Push push;
        /** The encoded frame without its length prefix: what the decoder is given. */
        ByteBuf encoded;

        @Setup(Level.Trial)
        public void setUp() {
            push = new Frame.Push(7, Frame.Push.FLAG_BROADCAST, MessageId.generate(), "demo", 42, new byte[payloadBytes]);
            ByteBuf whole = FrameCodec.encode(ALLOC, push);
            encoded = whole.skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            encoded.release();
        }
    }

    @State(Scope.Thread)
    public static class AckFrame {
        Frame.Ack ack;
        ByteBuf encoded;

        @Setup(Level.Trial)
        public void setUp() {
            List<MessageId> ids = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                ids.add(MessageId.generate());
            }
            ack = new Frame.Ack(9, ids, List.of(new Frame.Cursor("demo", 42)));
            encoded = FrameCodec.encode(ALLOC, ack).skipBytes(FrameCodec.LENGTH_FIELD_BYTES);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            encoded.release();
        }
    }

    @Benchmark
    public int encodePush(PushFrame s) {
        ByteBuf out = FrameCodec.encode(ALLOC, s.push);
        int bytes = out.readableBytes();
        out.release();
        return bytes;
    }

    @Benchmark
    public Frame decodePush(PushFrame s) {
        return FrameCodec.decode(s.encoded.duplicate());
    }

    @Benchmark
    public int encodeAck64(AckFrame s) {
        ByteBuf out = FrameCodec.encode(ALLOC, s.ack);
        int bytes = out.readableBytes();
        out.release();
        return bytes;
    }

    @Benchmark
    public Frame decodeAck64(AckFrame s) {
        return FrameCodec.decode(s.encoded.duplicate());
    }
}
