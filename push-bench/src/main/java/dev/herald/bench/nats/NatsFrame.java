package dev.herald.bench.nats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * What a NATS server sends a client (client protocol, https://docs.nats.io/reference/reference-protocols/nats-protocol):
 * {@code INFO}, {@code MSG}/{@code HMSG}, {@code PING}, {@code PONG}, {@code +OK} and {@code -ERR}.
 */
public sealed interface NatsFrame permits NatsFrame.Info, NatsFrame.Ping, NatsFrame.Pong, NatsFrame.Ok,
        NatsFrame.Err, NatsFrame.Msg {

    /** {@code INFO {json}}: the server's description, first thing on a connection (and again on cluster changes). */
    record Info(String json) implements NatsFrame {
    }

    /** {@code PING}: answer with {@code PONG} or the server closes the connection as stale. */
    enum Ping implements NatsFrame { INSTANCE }

    /** {@code PONG}: the answer to the client's {@code PING}; everything sent before it has been processed. */
    enum Pong implements NatsFrame { INSTANCE }

    /** {@code +OK}: only in verbose mode. */
    enum Ok implements NatsFrame { INSTANCE }

    /** {@code -ERR 'message'}: most errors close the connection. */
    record Err(String message) implements NatsFrame {
    }

    /**
     * {@code MSG <subject> <sid> [reply-to] <#bytes>} (or {@code HMSG} with headers, which are skipped) and its
     * payload. Reference counted: whoever receives it releases it.
     */
    final class Msg extends DefaultByteBufHolder implements NatsFrame {

        private final String subject;
        private final String sid;
        private final String replyTo;

        public Msg(String subject, String sid, String replyTo, ByteBuf payload) {
            super(payload);
            this.subject = subject;
            this.sid = sid;
            this.replyTo = replyTo;
        }

        public String subject() {
            return subject;
        }

        public String sid() {
            return sid;
        }

        /** {@code ""} when the message has no reply subject. */
        public String replyTo() {
            return replyTo;
        }

        @Override
        public String toString() {
            return "MSG " + subject + " " + sid + (replyTo.isEmpty() ? "" : " " + replyTo) + " " + content().readableBytes();
        }
    }
}
