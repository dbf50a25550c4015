package dev.herald.bench.jmh;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.FrameEncoder;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
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
 * One broadcast written to N channels, as an access node does: the PUSH frame encoded once and the same
 * buffer written to every channel as a retained duplicate, against handing the {@link Frame} to every
 * channel's encoder. Channels are {@link EmbeddedChannel}s with the real encoder in front of a sink that
 * drops what reaches the socket end, so the figure is pipeline plus encoding, without the kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BroadcastWriteBench {

    @Param({"1000", "10000"})
    int channels;

    @Param({"256"})
    int payloadBytes;

    private EmbeddedChannel[] all;
    private Frame.Push push;

    /** Stands in for the socket: releases what is written, completes the promise. */
    @ChannelHandler.Sharable
    static final class Sink extends ChannelOutboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // nothing buffered
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        all = new EmbeddedChannel[channels];
        for (int i = 0; i < channels; i++) {
            all[i] = new EmbeddedChannel(Sink.INSTANCE, FrameEncoder.INSTANCE);
        }
        push = new Frame.Push(0, Frame.Push.FLAG_BROADCAST, MessageId.generate(), "demo", 1, new byte[payloadBytes]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (EmbeddedChannel ch : all) {
            ch.finishAndReleaseAll();
        }
    }

    @Benchmark
    public void encodeOnceSharedBuffer() {
        ByteBuf encoded = FrameCodec.encode(PooledByteBufAllocator.DEFAULT, push);
        try {
            for (EmbeddedChannel ch : all) {
                ch.writeAndFlush(encoded.retainedDuplicate(), ch.voidPromise());
            }
        } finally {
            encoded.release();
        }
    }

    @Benchmark
    public void encodePerChannel() {
        for (EmbeddedChannel ch : all) {
            ch.writeAndFlush(push, ch.voidPromise());
        }
    }
}
