package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static final int MAX_FRAME_BYTES = 256;

    private final EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES), FrameEncoder.INSTANCE);
    private final List<ByteBuf> written = new ArrayList<>();

    @AfterEach
    void everyBufferIsReleased() {
        channel.finishAndReleaseAll();
        assertThat(written).allSatisfy(buf -> assertThat(buf.refCnt()).as("input buffer refCnt").isZero());
    }

    @Test
    void fragmentedInputIsReassembled() {
        Frame.Push push = push(1, "fragmented");
        byte[] wire = WireBytes.encode(push);

        for (int i = 0; i < wire.length - 1; i++) {
            writeInbound(new byte[] {wire[i]});
            assertThat((Object) channel.readInbound()).isNull();
        }
        writeInbound(new byte[] {wire[wire.length - 1]});

        assertThat((Object) channel.readInbound()).isEqualTo(push);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void framesSplitAcrossBufferBoundariesAreReassembled() {
        byte[] first = WireBytes.encode(new Frame.Ping(1));
        byte[] second = WireBytes.encode(push(2, "across"));
        byte[] both = concat(first, second);

        writeInbound(java.util.Arrays.copyOfRange(both, 0, first.length + 5));
        writeInbound(java.util.Arrays.copyOfRange(both, first.length + 5, both.length));

        assertThat((Object) channel.readInbound()).isEqualTo(new Frame.Ping(1));
        assertThat((Object) channel.readInbound()).isEqualTo(push(2, "across"));
    }

    @Test
    void severalFramesInOneBufferAreAllDecoded() {
        Frame[] frames = {
                new Frame.Ping(1),
                push(2, "one"),
                new Frame.Ack(3, List.of(MessageId.generate()), List.of(new Frame.Cursor("demo", 4))),
                new Frame.Pong(4)};
        byte[] wire = new byte[0];
        for (Frame frame : frames) {
            wire = concat(wire, WireBytes.encode(frame));
        }

        writeInbound(wire);

        for (Frame frame : frames) {
            assertThat((Object) channel.readInbound()).isEqualTo(frame);
        }
        assertThat((Object) channel.readInbound()).isNull();
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void frameOfExactlyMaxFrameBytesIncludingThePrefixIsAccepted() {
        int overhead = WireBytes.encode(push(1, "")).length;
        Frame.Push largest = new Frame.Push(1, 0, new MessageId(1, 2), "demo", 0, new byte[MAX_FRAME_BYTES - overhead]);
        assertThat(WireBytes.encode(largest)).hasSize(MAX_FRAME_BYTES);

        writeInbound(WireBytes.encode(largest));

        assertThat((Object) channel.readInbound()).isEqualTo(largest);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void oversizedFrameIsAnsweredWithDisconnectAndClose() {
        int overhead = WireBytes.encode(push(1, "")).length;
        Frame.Push tooLarge = new Frame.Push(1, 0, new MessageId(1, 2), "demo", 0, new byte[MAX_FRAME_BYTES - overhead + 1]);

        writeInbound(WireBytes.encode(tooLarge));

        assertDisconnectedWith(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void oversizedLengthPrefixIsRefusedBeforeTheBodyArrives() {
        writeInbound(new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 5});

        assertDisconnectedWith(ErrorCode.FRAME_TOO_LARGE);
    }

    @Test
    void wrongVersionIsAnsweredWithDisconnectAndClose() {
        writeInbound(WireBytes.raw(2, 0x03, 0, 1));

        assertDisconnectedWith(ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void truncatedBodyIsAnsweredWithDisconnectAndClose() {
        byte[] push = WireBytes.encode(push(1, "payload"));
        byte[] cut = java.util.Arrays.copyOf(push, push.length - 3);
        Unpooled.wrappedBuffer(cut).setInt(0, cut.length - 4); // the prefix agrees, the body is short

        writeInbound(cut);

        assertDisconnectedWith(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void frameShorterThanAHeaderIsAnsweredWithDisconnectAndClose() {
        writeInbound(new byte[] {0, 0, 0, 2, 1, 3});

        assertDisconnectedWith(ErrorCode.MALFORMED_FRAME);
    }

    /**
     * Found by the fuzzer: a handler that refuses the first frame closes the channel while more frames
     * of the same read wait in the decoder. They used to be decoded, and a bad one answered with a
     * DISCONNECT on the closed channel, whose close listener then released the decoder's buffer under
     * it (IllegalReferenceCountException out of the pipeline).
     */
    @Test
    void framesAfterAHandlerClosedTheChannelAreNotDecoded() {
        List<Frame> handled = new ArrayList<>();
        EmbeddedChannel refusing = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                handled.add((Frame) msg);
                ctx.writeAndFlush(FrameCodec.encode(ctx.alloc(), new Frame.Disconnect(0, ErrorCode.NOT_CONNECTED, "")))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        });
        ByteBuf read = Unpooled.wrappedBuffer(concat(concat(WireBytes.encode(new Frame.Ping(1)), WireBytes.encode(new Frame.Ping(2))),
                new byte[] {0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 5}));

        refusing.writeInbound(read);

        refusing.checkException();
        assertThat(handled).containsExactly(new Frame.Ping(1));
        assertThat(WireBytes.decodeAndRelease(refusing.readOutbound()))
                .isEqualTo(new Frame.Disconnect(0, ErrorCode.NOT_CONNECTED, ""));
        assertThat((Object) refusing.readOutbound()).as("no DISCONNECT FRAME_TOO_LARGE after the close").isNull();
        assertThat(read.refCnt()).isZero();
        refusing.finishAndReleaseAll();
    }

    @Test
    void bytesAfterAFatalFrameAreIgnored() {
        writeInbound(concat(WireBytes.raw(2, 0x03, 0, 1), WireBytes.encode(new Frame.Ping(2))));

        assertDisconnectedWith(ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void reservedOpcodeIsAnsweredWithAnErrorAndTheConnectionContinues() {
        writeInbound(concat(WireBytes.raw(1, 0x10, 0, 41, new byte[] {1, 2, 3}), WireBytes.encode(new Frame.Ping(42))));

        assertThat(readOutboundFrame()).isEqualTo(new Frame.ErrorFrame(41, ErrorCode.UNSUPPORTED_OPCODE,
                "opcode 0x10 is reserved or unknown in protocol version 1"));
        assertThat((Object) channel.readInbound()).isEqualTo(new Frame.Ping(42));
        assertThat(channel.isOpen()).isTrue();

        writeInbound(WireBytes.raw(1, 0x3F, 0, 43));
        writeInbound(WireBytes.encode(push(44, "still open")));

        assertThat(readOutboundFrame()).isInstanceOfSatisfying(Frame.ErrorFrame.class, e -> {
            assertThat(e.seq()).isEqualTo(43);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OPCODE);
        });
        assertThat((Object) channel.readInbound()).isEqualTo(push(44, "still open"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void encoderWritesFramesAndLetsPreEncodedBuffersThrough() {
        Frame.Push push = push(1, "outbound");
        ByteBuf preEncoded = FrameCodec.encode(ByteBufAllocator.DEFAULT, new Frame.Ping(9));

        channel.writeOutbound(push, preEncoded);

        assertThat(readOutboundFrame()).isEqualTo(push);
        ByteBuf passedThrough = channel.readOutbound();
        assertThat(passedThrough).isSameAs(preEncoded);
        assertThat(WireBytes.decodeAndRelease(passedThrough)).isEqualTo(new Frame.Ping(9));
    }

    private void assertDisconnectedWith(ErrorCode code) {
        channel.runPendingTasks();
        Frame sent = readOutboundFrame();
        assertThat(sent).isInstanceOfSatisfying(Frame.Disconnect.class, d -> assertThat(d.code()).isEqualTo(code));
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat((Object) channel.readInbound()).as("no frame after a fatal one").isNull();
        assertThat(channel.isOpen()).isFalse();
        channel.checkException();
    }

    private Frame readOutboundFrame() {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).as("a frame written back to the peer").isNotNull();
        return WireBytes.decodeAndRelease(buf);
    }

    private void writeInbound(byte[] bytes) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        written.add(buf);
        channel.writeInbound(buf);
    }

    private static Frame.Push push(int seq, String text) {
        return new Frame.Push(seq, 0, new MessageId(1, 2), "demo", 0, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
