package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a native client reads from the server, and the rules it may rely on: the bytes are whole, valid
 * frames; ERROR carries only the codes of refusals that keep the connection; nothing follows a
 * DISCONNECT or a refusing CONNACK.
 */
final class NativeReplies {

    static final Set<ErrorCode> ERROR_CODES = EnumSet.of(ErrorCode.UNSUPPORTED_OPCODE, ErrorCode.ALREADY_CONNECTED,
            ErrorCode.UPLINK_REJECTED);

    private NativeReplies() {
    }

    /** Splits the server's bytes into frames; fails on anything that is not a whole, valid frame. */
    static List<Frame> frames(byte[] bytes) {
        List<Frame> frames = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        while (in.isReadable()) {
            assertThat(in.readableBytes()).as("a whole length prefix").isGreaterThanOrEqualTo(FrameCodec.LENGTH_FIELD_BYTES);
            int length = in.readInt();
            assertThat(length).as("frame length").isBetween(FrameCodec.HEADER_BYTES, in.readableBytes());
            frames.add(FrameCodec.decode(in.readSlice(length)));
        }
        return frames;
    }

    /** Checks the rules above and returns why the server ended the connection, or {@code null}. */
    static String check(List<Frame> frames) {
        String ending = null;
        for (Frame frame : frames) {
            assertThat(ending).as("a frame after the connection was ended: " + frame).isNull();
            if (frame instanceof Frame.ErrorFrame error) {
                assertThat(error.code()).isIn(ERROR_CODES);
            } else if (frame instanceof Frame.Disconnect disconnect) {
                ending = "DISCONNECT " + disconnect.code();
            } else if (frame instanceof Frame.ConnAck connAck && connAck.code() != ErrorCode.OK) {
                ending = "CONNACK " + connAck.code();
            }
        }
        return ending;
    }

    /** Counts the frames by what they are, for the report. */
    static void tally(List<Frame> frames, dev.herald.protocol.fuzz.FuzzReport report) {
        for (Frame frame : frames) {
            String what = frame instanceof Frame.ErrorFrame e ? "native ERROR " + e.code()
                    : frame instanceof Frame.ConnAck a && a.code() == ErrorCode.OK ? "native CONNACK OK"
                    : frame instanceof Frame.Disconnect || frame instanceof Frame.ConnAck ? null
                    : "native " + frame.opcode();
            if (what != null) {
                report.tally(what, 1);
            }
        }
    }
}
