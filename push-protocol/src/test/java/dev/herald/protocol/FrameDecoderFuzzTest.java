package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.fuzz.BufferMeter;
import dev.herald.protocol.fuzz.DecoderBuffers;
import dev.herald.protocol.fuzz.FuzzReport;
import dev.herald.protocol.fuzz.FuzzRun;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.NativeInputs;
import dev.herald.protocol.fuzz.ValidFrames;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The frame decoder (used by the access node and the SDK) under hostile bytes: streams of valid,
 * mutated and random frames and random bytes, split into random reads. No exception may leave the
 * pipeline, the only answers are ERROR UNSUPPORTED_OPCODE (connection stays open) and one final
 * DISCONNECT with a decoding code (connection closed), every buffer is released, and between reads the
 * decoder keeps less than one frame (its buffer, at most what one frame and one read need). Valid frames in any split come out as they
 * went in. CI runs a few thousand inputs; {@code -Dherald.fuzz.inputs=1000000} is the long run (see
 * docs/security.md); {@code -Dherald.fuzz.seed} and {@code -Dherald.fuzz.input} replay a failure.
 */
class FrameDecoderFuzzTest {

    private static final int MAX_FRAME_BYTES = 1024;
    /** Reads up to four frames long: a socket read can hold several frames, or the start of a huge one. */
    private static final int MAX_READ = 4 * MAX_FRAME_BYTES;
    /** A partial frame plus one read, in a buffer rounded up to a power of two. */
    private static final long MAX_HELD_BYTES = 2L * (MAX_FRAME_BYTES + MAX_READ);
    private static final Set<ErrorCode> DECODING_CODES = EnumSet.of(ErrorCode.MALFORMED_FRAME,
            ErrorCode.UNSUPPORTED_VERSION, ErrorCode.FRAME_TOO_LARGE, ErrorCode.TOO_MANY_APPS);

    private final NativeInputs inputs = new NativeInputs(MAX_FRAME_BYTES);
    private final BufferMeter meter = new BufferMeter();

    @Test
    void hostileStreamsEndInErrorsOrOneDisconnectWithBoundedMemoryAndNoLeak() {
        FuzzReport report = FuzzRun.run("native-frame-decoder", 10_000, this::hostileStream);

        assertThat(report.peakConnectionBytes()).isLessThanOrEqualTo(MAX_HELD_BYTES);
        assertThat(report.peakDecoderBytes()).isLessThan(MAX_FRAME_BYTES);
        assertThat(report.outcomes().keySet()).as("the generators reach every way a stream ends").contains(
                "closed: DISCONNECT MALFORMED_FRAME", "closed: DISCONNECT FRAME_TOO_LARGE",
                "closed: DISCONNECT UNSUPPORTED_VERSION", "open: input ended, peer closed");
    }

    @Test
    void validFramesInAnySplitDecodeToTheFramesThatWereSent() {
        FuzzRun.run("native-frame-decoder-valid", 2_000, (random, report) -> {
            List<Frame> sent = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (int i = 1 + random.nextInt(8); i > 0; i--) {
                Frame frame = ValidFrames.any(random, MAX_FRAME_BYTES);
                sent.add(frame);
                stream.writeBytes(ValidFrames.encode(frame));
            }
            EmbeddedChannel channel = channel();
            List<Frame> received = new ArrayList<>();
            feed(channel, stream.toByteArray(), random, report, received, new ArrayList<>());

            assertThat(received).isEqualTo(sent);
            assertThat(channel.isOpen()).isTrue();
            assertThat(channel.finishAndReleaseAll()).isFalse();
            assertThat(meter.live()).as("buffer bytes still held").isZero();
            report.outcome("decoded as sent");
            report.tally("frames", sent.size());
        });
    }

    private void hostileStream(SplittableRandom random, FuzzReport report) {
        report.limits("frame limit " + MAX_FRAME_BYTES + " bytes, reads up to " + MAX_READ + " bytes");
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 1 + random.nextInt(12); i > 0; i--) {
            stream.writeBytes(inputs.piece(random));
        }
        EmbeddedChannel channel = channel();
        List<Frame> received = new ArrayList<>();
        List<Frame> answers = new ArrayList<>();
        feed(channel, stream.toByteArray(), random, report, received, answers);

        boolean closed = !channel.isOpen();
        for (int i = 0; i < answers.size(); i++) {
            Frame answer = answers.get(i);
            if (answer instanceof Frame.Disconnect disconnect) {
                assertThat(i).as("DISCONNECT is the last frame sent").isEqualTo(answers.size() - 1);
                assertThat(disconnect.code()).isIn(DECODING_CODES);
                assertThat(disconnect.seq()).isZero();
                report.outcome("closed: DISCONNECT " + disconnect.code());
            } else {
                assertThat(answer).isInstanceOfSatisfying(Frame.ErrorFrame.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OPCODE));
            }
        }
        boolean disconnected = !answers.isEmpty() && answers.get(answers.size() - 1) instanceof Frame.Disconnect;
        assertThat(closed).as("closed exactly when a DISCONNECT was sent").isEqualTo(disconnected);
        if (!closed) {
            report.outcome("open: input ended, peer closed");
        }
        report.tally("frames decoded", received.size());
        report.tally("ERROR UNSUPPORTED_OPCODE sent", answers.size() - (disconnected ? 1 : 0));

        channel.finishAndReleaseAll();
        assertThat(meter.live()).as("buffer bytes still held after close").isZero();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder(MAX_FRAME_BYTES), FrameEncoder.INSTANCE);
        channel.config().setAllocator(meter.allocator());
        return channel;
    }

    /** Writes the stream in random reads, collecting decoded frames and the decoder's answers after each. */
    private void feed(EmbeddedChannel channel, byte[] stream, SplittableRandom random, FuzzReport report,
                      List<Frame> received, List<Frame> answers) {
        report.fed(stream.length);
        int offset = 0;
        for (int read : Mutations.reads(random, stream.length, MAX_READ)) {
            if (!channel.isOpen()) {
                break; // a closed socket reads nothing more
            }
            channel.writeInbound(meter.read(stream, offset, read));
            offset += read;
            channel.checkException();
            boolean disconnected = !answers.isEmpty() && answers.get(answers.size() - 1) instanceof Frame.Disconnect;
            for (Object in; (in = channel.readInbound()) != null; ) {
                assertThat(in).isInstanceOf(Frame.class);
                assertThat(disconnected).as("a frame decoded after DISCONNECT").isFalse();
                received.add((Frame) in);
            }
            for (Object out; (out = channel.readOutbound()) != null; ) {
                assertThat(out).isInstanceOf(ByteBuf.class);
                answers.add(WireBytes.decodeAndRelease((ByteBuf) out));
            }
            report.connectionBytes(meter.live());
            assertThat(meter.live()).as("buffer bytes held between reads").isLessThanOrEqualTo(MAX_HELD_BYTES);
            // What is left is part of one frame, under the limit: a longer one is refused on its prefix.
            int held = DecoderBuffers.held(channel.pipeline()).values().stream().mapToInt(Integer::intValue).sum();
            assertThat(held).as("bytes the decoder keeps").isLessThan(MAX_FRAME_BYTES);
            report.decoderBytes(held);
        }
    }
}
