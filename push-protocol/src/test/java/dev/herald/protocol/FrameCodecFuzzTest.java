package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.fuzz.FuzzRun;
import dev.herald.protocol.fuzz.ValidFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Encode then decode is the identity for every valid frame: random frames of every opcode with values
 * at the protocol's edges (see {@link ValidFrames}), up to frames far over the default frame limit,
 * which the codec itself does not bound. The length prefix counts exactly the bytes after it, and
 * decoding then encoding again gives the same bytes.
 */
class FrameCodecFuzzTest {

    @Test
    void everyValidFrameSurvivesEncodeThenDecode() {
        FuzzRun.run("native-codec-round-trip", 10_000, (random, report) -> {
            int limit = random.nextInt(16) == 0 ? 1 << 20 : FrameCodec.DEFAULT_MAX_FRAME_BYTES;
            Frame frame = ValidFrames.any(random, limit);
            byte[] wire = ValidFrames.encode(frame);
            report.fed(wire.length);

            ByteBuf buf = Unpooled.wrappedBuffer(wire);
            assertThat(buf.readInt()).as("length prefix").isEqualTo(wire.length - FrameCodec.LENGTH_FIELD_BYTES);
            Frame decoded = FrameCodec.decode(buf);

            assertThat(decoded).isEqualTo(frame);
            assertThat(buf.isReadable()).isFalse();
            assertThat(ValidFrames.encode(decoded)).isEqualTo(wire);
            report.outcome("round trip: " + frame.opcode());
        });
    }
}
