package dev.herald.bench.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The NATS client-side decoder against the protocol's own examples
 * (https://docs.nats.io/reference/reference-protocols/nats-protocol), byte for byte, whole and split.
 */
class NatsDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new NatsDecoder(1024 * 1024));
    private final List<ByteBuf> fed = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        for (ByteBuf b : fed) {
            assertThat(b.refCnt()).as("input buffer released").isZero();
        }
    }

    private List<Object> feed(String text) {
        ByteBuf in = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        fed.add(in);
        channel.writeInbound(in);
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = channel.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static String payload(Object frame) {
        NatsFrame.Msg msg = (NatsFrame.Msg) frame;
        try {
            return msg.content().toString(StandardCharsets.UTF_8);
        } finally {
            msg.release();
        }
    }

    @Test
    void msgWithAndWithoutReplySubject() {
        List<Object> frames = feed("MSG FOO.BAR 9 11\r\nHello World\r\nMSG FOO.BAR 9 GREETING.34 11\r\nHello World\r\n");

        assertThat(frames).hasSize(2);
        NatsFrame.Msg plain = (NatsFrame.Msg) frames.get(0);
        assertThat(plain.subject()).isEqualTo("FOO.BAR");
        assertThat(plain.sid()).isEqualTo("9");
        assertThat(plain.replyTo()).isEmpty();
        assertThat(payload(plain)).isEqualTo("Hello World");
        NatsFrame.Msg withReply = (NatsFrame.Msg) frames.get(1);
        assertThat(withReply.replyTo()).isEqualTo("GREETING.34");
        assertThat(payload(withReply)).isEqualTo("Hello World");
    }

    @Test
    void hmsgSkipsTheHeaders() {
        List<Object> frames = feed("HMSG FOO.BAR 9 34 45\r\nNATS/1.0\r\nFoodGroup: vegetable\r\n\r\nHello World\r\n");

        assertThat(frames).hasSize(1);
        assertThat(((NatsFrame.Msg) frames.get(0)).sid()).isEqualTo("9");
        assertThat(payload(frames.get(0))).isEqualTo("Hello World");
    }

    @Test
    void controlOperations() {
        List<Object> frames = feed("INFO {\"server_id\":\"Zk0GQ3JBSrg3oyxCRRlE09\",\"version\":\"2.9.10\",\"max_payload\":1048576}\r\n"
                + "PING\r\nPONG\r\n+OK\r\n-ERR 'Unknown Protocol Operation'\r\n");

        assertThat(frames).containsExactly(
                new NatsFrame.Info("{\"server_id\":\"Zk0GQ3JBSrg3oyxCRRlE09\",\"version\":\"2.9.10\",\"max_payload\":1048576}"),
                NatsFrame.Ping.INSTANCE, NatsFrame.Pong.INSTANCE, NatsFrame.Ok.INSTANCE,
                new NatsFrame.Err("Unknown Protocol Operation"));
    }

    @Test
    void aPayloadMayHoldCrLfAndArriveOneByteAtATime() {
        String wire = "MSG dev.cmp-1 1 12\r\nab\r\ncd\r\nefgh\r\nPING\r\n";
        List<Object> frames = new ArrayList<>();
        for (char c : wire.toCharArray()) {
            frames.addAll(feed(String.valueOf(c)));
        }

        assertThat(frames).hasSize(2);
        assertThat(payload(frames.get(0))).isEqualTo("ab\r\ncd\r\nefgh");
        assertThat(frames.get(1)).isEqualTo(NatsFrame.Ping.INSTANCE);
    }

    @Test
    void anEmptyPayload() {
        List<Object> frames = feed("MSG all 2 0\r\n\r\n");

        assertThat(payload(frames.get(0))).isEmpty();
    }

    @Test
    void aPayloadNotFollowedByCrLfIsCorrupt() {
        assertThatThrownBy(() -> feed("MSG FOO 9 3\r\nabcd\r\n")).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("not followed by CRLF");
    }

    @Test
    void unknownOperationsAreCorruptAndWhatFollowsIsDropped() {
        assertThatThrownBy(() -> feed("HELLO there\r\n")).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("unknown NATS operation: HELLO there");
        assertThat(feed("PING\r\n")).as("no frame boundary to resume from").isEmpty();
    }

    @Test
    void aNegativeSizeIsCorrupt() {
        assertThatThrownBy(() -> feed("MSG FOO 9 -1\r\n")).isInstanceOf(CorruptedFrameException.class)
                .hasMessageContaining("bad NATS size");
    }

    @Test
    void aControlLineWithoutEndIsRefusedPastTheLimit() {
        assertThatThrownBy(() -> feed("INFO " + "x".repeat(NatsDecoder.MAX_CONTROL_LINE)))
                .isInstanceOf(TooLongFrameException.class);
    }

    @Test
    void aMessageAboveMaxPayloadIsRefused() {
        EmbeddedChannel small = new EmbeddedChannel(new NatsDecoder(10));
        ByteBuf in = Unpooled.copiedBuffer("MSG FOO 9 11\r\nHello World\r\n", StandardCharsets.US_ASCII);
        try {
            assertThatThrownBy(() -> small.writeInbound(in)).isInstanceOf(TooLongFrameException.class);
        } finally {
            small.finishAndReleaseAll();
        }
        assertThat(in.refCnt()).isZero();
    }
}
