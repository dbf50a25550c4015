package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a WebSocket client reads from the server, checked as the client would: one HTTP response (the
 * 101 of the upgrade, or an error status after which nothing follows), then unmasked, unfragmented
 * WebSocket frames: binary messages holding exactly one valid native frame each, pongs, and at most one
 * close frame, which is the last thing sent.
 */
final class WebSocketReplies {

    /** A close frame: its status (0 when it carries none) and reason. */
    record Close(int status, String reason) {
    }

    /** A pong frame (answer to a ping). */
    record Pong() {
    }

    /**
     * @param status   the HTTP status, 0 when no response was written
     * @param messages native {@link Frame}s, {@link Close} and {@link Pong}, in order
     */
    record Replies(int status, List<Object> messages) {
    }

    private WebSocketReplies() {
    }

    static Replies parse(byte[] bytes) {
        // HTTP responses until the 101: a 426 (unsupported version) leaves the connection open for
        // another request, each error closes it.
        int status = 0;
        int offset = 0;
        while (offset < bytes.length && status != 101) {
            String text = new String(bytes, offset, bytes.length - offset, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            assertThat(end).as("a whole HTTP response head: " + text).isPositive();
            String head = text.substring(0, end);
            assertThat(head).startsWith("HTTP/1.1 ");
            status = Integer.parseInt(head.substring(9, 12));
            int contentLength = -1; // none: the body runs to the close
            for (String line : head.split("\r\n")) {
                if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            offset += end + 4;
            if (status != 101) {
                offset = contentLength < 0 ? bytes.length : offset + contentLength;
                assertThat(offset).as("the body of the HTTP %d response", status).isLessThanOrEqualTo(bytes.length);
            }
        }
        if (status != 101) {
            return new Replies(status, List.of());
        }
        ByteBuf in = Unpooled.wrappedBuffer(bytes, offset, bytes.length - offset);
        List<Object> messages = new ArrayList<>();
        while (in.isReadable()) {
            assertThat(messages).as("nothing after a close frame").noneMatch(m -> m instanceof Close);
            assertThat(in.readableBytes()).isGreaterThanOrEqualTo(2);
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            assertThat(first & 0xF0).as("FIN set, no RSV bits").isEqualTo(0x80);
            assertThat(second & 0x80).as("server frames are not masked").isZero();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            assertThat(length).isLessThanOrEqualTo(in.readableBytes());
            ByteBuf payload = in.readSlice((int) length);
            switch (first & 0x0F) {
                case 0x2 -> {
                    int prefix = payload.readInt();
                    assertThat(prefix).as("a binary message holds one frame with its prefix").isEqualTo(payload.readableBytes());
                    messages.add(FrameCodec.decode(payload));
                }
                case 0x8 -> {
                    int closeStatus = payload.readableBytes() >= 2 ? payload.readUnsignedShort() : 0;
                    messages.add(new Close(closeStatus, payload.toString(StandardCharsets.UTF_8)));
                }
                case 0xA -> messages.add(new Pong());
                default -> throw new AssertionError("the server sent a WebSocket frame of opcode " + (first & 0x0F));
            }
        }
        return new Replies(status, messages);
    }

    /** The native frames among the messages. */
    static List<Frame> frames(Replies replies) {
        List<Frame> frames = new ArrayList<>();
        for (Object message : replies.messages()) {
            if (message instanceof Frame frame) {
                frames.add(frame);
            }
        }
        return frames;
    }
}
