package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Feeds random mixes of valid, mutated and random frames in random fragments and checks that the
 * pipeline never lets an exception escape, never leaks a buffer, and only ever answers with ERROR or
 * with a final DISCONNECT. Set {@code -Dherald.fuzz.seed=N} to replay a failing run.
 */
class FrameDecoderGarbageTest {

    private static final long BASE_SEED = Long.getLong("herald.fuzz.seed", System.nanoTime());
    private static final int MAX_FRAME_BYTES = 512;

    @RepeatedTest(300)
    void randomInputNeverEscapesThePipelineNorLeaks(RepetitionInfo repetition) {
        long seed = BASE_SEED + repetition.getCurrentRepetition();
        try {
            run(new SplittableRandom(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed with -Dherald.fuzz.seed=" + BASE_SEED
                    + " (repetition " + repetition.getCurrentRepetition() + ", seed " + seed + ")", e);
        }
    }

    private static void run(SplittableRandom random) {
        byte[] stream = randomStream(random);
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES), FrameEncoder.INSTANCE);
        List<ByteBuf> chunks = new ArrayList<>();
        int offset = 0;
        while (offset < stream.length) {
            int length = Math.min(stream.length - offset, 1 + random.nextInt(random.nextBoolean() ? 8 : 200));
            chunks.add(Unpooled.directBuffer(length).writeBytes(stream, offset, length));
            offset += length;
        }

        List<Frame> answers = new ArrayList<>();
        for (ByteBuf chunk : chunks) {
            if (!channel.isOpen()) {
                chunk.release(); // a closed channel reads nothing more
                continue;
            }
            channel.writeInbound(chunk);
            channel.checkException();
            drain(channel, answers);
        }
        channel.runPendingTasks();
        channel.checkException();
        drain(channel, answers);
        boolean closed = !channel.isOpen();
        channel.finishAndReleaseAll();

        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.refCnt()).isZero());
        for (int i = 0; i < answers.size(); i++) {
            Frame answer = answers.get(i);
            if (answer instanceof Frame.Disconnect) {
                assertThat(i).as("DISCONNECT is the last frame sent").isEqualTo(answers.size() - 1);
                assertThat(closed).isTrue();
            } else {
                assertThat(answer).isInstanceOfSatisfying(Frame.ErrorFrame.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OPCODE));
            }
        }
    }

    private static void drain(EmbeddedChannel channel, List<Frame> answers) {
        for (Object in; (in = channel.readInbound()) != null; ) {
            assertThat(in).isInstanceOf(Frame.class);
        }
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            answers.add(WireBytes.decodeAndRelease(out));
        }
    }

    private static byte[] randomStream(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(12);
        for (int i = 0; i < frames; i++) {
            switch (random.nextInt(4)) {
                case 0 -> out.writeBytes(WireBytes.encode(validFrame(random)));
                case 1 -> out.writeBytes(mutated(WireBytes.encode(validFrame(random)), random));
                case 2 -> out.writeBytes(randomFrame(random));
                default -> out.writeBytes(randomBytes(random, random.nextInt(64)));
            }
        }
        return out.toByteArray();
    }

    private static Frame validFrame(SplittableRandom random) {
        MessageId id = new MessageId(random.nextLong(), random.nextLong());
        return switch (random.nextInt(10)) {
            case 0 -> new Frame.Connect(random.nextInt(), random.nextInt(65536), "device", "demo", "token", random.nextLong());
            case 1 -> new Frame.ConnAck(random.nextInt(), ErrorCode.OK, random.nextInt(65536), "ok");
            case 2 -> new Frame.Ping(random.nextInt());
            case 3 -> new Frame.Pong(random.nextInt());
            case 4 -> new Frame.Push(random.nextInt(), random.nextInt(256), id, "demo", random.nextLong(),
                    randomBytes(random, random.nextInt(MAX_FRAME_BYTES)));
            case 5 -> new Frame.Ack(random.nextInt(), List.of(id), List.of(new Frame.Cursor("demo", random.nextLong())));
            case 6 -> new Frame.ErrorFrame(random.nextInt(), ErrorCode.NOT_CONNECTED, "error");
            case 7 -> new Frame.Uplink(random.nextInt(), "demo", randomBytes(random, random.nextInt(MAX_FRAME_BYTES)));
            case 8 -> new Frame.UplinkAck(random.nextInt(), id);
            default -> new Frame.Disconnect(random.nextInt(), ErrorCode.SERVER_SHUTDOWN, "bye");
        };
    }

    /** Flips a few bytes after the length prefix, so most mutations reach the body decoder. */
    private static byte[] mutated(byte[] frame, SplittableRandom random) {
        int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = FrameCodec.LENGTH_FIELD_BYTES + random.nextInt(frame.length - FrameCodec.LENGTH_FIELD_BYTES);
            frame[at] = (byte) random.nextInt(256);
        }
        if (random.nextInt(8) == 0) {
            frame[random.nextInt(FrameCodec.LENGTH_FIELD_BYTES)] = (byte) random.nextInt(256);
        }
        return frame;
    }

    /** A consistent length prefix and a header with a mostly valid version, then random body bytes. */
    private static byte[] randomFrame(SplittableRandom random) {
        int bodyLength = random.nextInt(80);
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeInt(FrameCodec.HEADER_BYTES + bodyLength);
            buf.writeByte(random.nextInt(10) == 0 ? random.nextInt(256) : Frame.VERSION);
            buf.writeByte(random.nextInt(0x42));
            buf.writeByte(random.nextInt(256));
            buf.writeInt(random.nextInt());
            buf.writeBytes(randomBytes(random, bodyLength));
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
