package dev.herald.bench.nats;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Splits what a NATS server sends into {@link NatsFrame}s. The protocol is a line protocol: a control line
 * ended by CRLF, and for {@code MSG}/{@code HMSG} the announced number of payload bytes and one more CRLF.
 * A message's payload is a retained slice of the input (no copy); an unknown operation, a bad size or a
 * missing CRLF after a payload is a {@link CorruptedFrameException}, a control line above
 * {@link #MAX_CONTROL_LINE} bytes or a payload above {@code maxPayload} a {@link TooLongFrameException}; after
 * either, everything else that arrives is dropped (the handler closes the connection).
 */
public final class NatsDecoder extends ByteToMessageDecoder {

    /** nats-server's own limit on a control line (max_control_line, 4 KB). */
    public static final int MAX_CONTROL_LINE = 4096;

    private final int maxPayload;
    private boolean corrupt;

    public NatsDecoder(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupt) {
            in.skipBytes(in.readableBytes()); // the stream has no frame boundary any more: drop the rest until the close
            return;
        }
        while (in.isReadable()) {
            NatsFrame frame;
            try {
                frame = decodeOne(in);
            } catch (DecoderException e) {
                corrupt = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
            if (frame == null) {
                return;
            }
            out.add(frame);
        }
    }

    /** The next complete frame, reading past it; {@code null} (reading nothing) when more bytes are needed. */
    private NatsFrame decodeOne(ByteBuf in) {
        int start = in.readerIndex();
        int lf = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_CONTROL_LINE) {
                throw new TooLongFrameException("NATS control line longer than " + MAX_CONTROL_LINE + " bytes");
            }
            return null;
        }
        if (lf - start > MAX_CONTROL_LINE) {
            throw new TooLongFrameException("NATS control line longer than " + MAX_CONTROL_LINE + " bytes");
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line = in.toString(start, end - start, StandardCharsets.US_ASCII);
        int space = line.indexOf(' ');
        String op = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
        String rest = space < 0 ? "" : line.substring(space + 1).trim();
        switch (op) {
            case "MSG", "HMSG" -> {
                return message(in, op.equals("HMSG"), rest, lf + 1);
            }
            case "PING" -> {
                in.readerIndex(lf + 1);
                return NatsFrame.Ping.INSTANCE;
            }
            case "PONG" -> {
                in.readerIndex(lf + 1);
                return NatsFrame.Pong.INSTANCE;
            }
            case "+OK" -> {
                in.readerIndex(lf + 1);
                return NatsFrame.Ok.INSTANCE;
            }
            case "-ERR" -> {
                in.readerIndex(lf + 1);
                return new NatsFrame.Err(unquote(rest));
            }
            case "INFO" -> {
                in.readerIndex(lf + 1);
                return new NatsFrame.Info(rest);
            }
            default -> throw new CorruptedFrameException("unknown NATS operation: " + abbreviate(line));
        }
    }

    /**
     * {@code MSG <subject> <sid> [reply-to] <#bytes>} or {@code HMSG <subject> <sid> [reply-to] <#header bytes>
     * <#total bytes>}, then the payload at {@code payloadAt}.
     */
    private NatsFrame message(ByteBuf in, boolean headers, String args, int payloadAt) {
        String[] a = args.isEmpty() ? new String[0] : args.split(" +");
        int sizes = headers ? 2 : 1;
        if (a.length != 2 + sizes && a.length != 3 + sizes) {
            throw new CorruptedFrameException("malformed " + (headers ? "HMSG" : "MSG") + " arguments: " + abbreviate(args));
        }
        String replyTo = a.length == 3 + sizes ? a[2] : "";
        int total = size(a[a.length - 1]);
        int headerBytes = headers ? size(a[a.length - 2]) : 0;
        if (headerBytes > total) {
            throw new CorruptedFrameException("HMSG header size " + headerBytes + " above total size " + total);
        }
        if (total > maxPayload) {
            throw new TooLongFrameException("NATS message of " + total + " bytes, above " + maxPayload);
        }
        if (in.writerIndex() - payloadAt < total + 2) {
            return null;
        }
        if (in.getByte(payloadAt + total) != '\r' || in.getByte(payloadAt + total + 1) != '\n') {
            throw new CorruptedFrameException("NATS message payload not followed by CRLF (announced " + total + " bytes)");
        }
        ByteBuf payload = in.retainedSlice(payloadAt + headerBytes, total - headerBytes);
        in.readerIndex(payloadAt + total + 2);
        return new NatsFrame.Msg(a[0], a[1], replyTo, payload);
    }

    private static int size(String digits) {
        try {
            int n = Integer.parseInt(digits);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CorruptedFrameException("bad NATS size: " + abbreviate(digits));
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("'") && s.endsWith("'") ? s.substring(1, s.length() - 1) : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
