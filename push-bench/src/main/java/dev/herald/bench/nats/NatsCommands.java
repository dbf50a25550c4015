package dev.herald.bench.nats;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.herald.bench.report.ReportWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/** What a NATS client sends, written as the protocol's text lines into buffers the caller hands to a channel. */
public final class NatsCommands {

    private NatsCommands() {
    }

    /** The options of {@code CONNECT}, named as the NATS protocol names them. */
    private record ConnectOptions(boolean verbose, boolean pedantic, @JsonProperty("tls_required") boolean tlsRequired,
                                  String name, String lang, String version, int protocol, boolean headers) {
    }

    /**
     * {@code CONNECT} without verbose (+OK) or pedantic mode, named after the connection, without headers;
     * echo on (a subscriber does not publish).
     */
    public static String connect(String name) {
        return "CONNECT " + ReportWriter.JSON.writeValueAsString(
                new ConnectOptions(false, false, false, name, "java", "push-bench", 1, false)) + "\r\n";
    }

    /** {@code SUB <subject> <sid>}. */
    public static String subscribe(String subject, String sid) {
        return "SUB " + subject + " " + sid + "\r\n";
    }

    public static final String PING = "PING\r\n";
    public static final String PONG = "PONG\r\n";

    /** The lines as one buffer. */
    public static ByteBuf lines(ByteBufAllocator alloc, String... lines) {
        ByteBuf buf = alloc.buffer();
        for (String line : lines) {
            buf.writeCharSequence(line, StandardCharsets.US_ASCII);
        }
        return buf;
    }
}
