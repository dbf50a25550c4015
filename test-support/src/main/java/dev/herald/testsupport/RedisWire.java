package dev.herald.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One Redis command over a fresh loopback socket, for fixtures that must talk to a server before any client
 * library can (forming a cluster, probing its state). Speaks just enough RESP for that: simple strings,
 * errors, integers and bulk strings; not arrays.
 */
final class RedisWire {

    private static final int TIMEOUT_MS = 5_000;

    private RedisWire() {
    }

    /** Sends {@code args} as one command to the server on {@code port}; returns its reply as text, or null for a nil bulk. */
    static String call(int port, String... args) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()), String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException("redis on port " + port + ": " + String.join(" ", args), e);
        }
    }

    private static byte[] encode(String... args) {
        StringBuilder command = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reply(InputStream in, String command) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '+', ':' -> line;
            case '-' -> throw new RedisError(command + " -> " + line, line);
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                byte[] body = in.readNBytes(length + 2);
                if (body.length < length + 2) {
                    throw new EOFException("short bulk reply to " + command);
                }
                yield new String(body, 0, length, StandardCharsets.UTF_8);
            }
            case -1 -> throw new EOFException("no reply to " + command);
            default -> throw new IOException("unsupported reply type '" + (char) type + "' to " + command);
        };
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new EOFException("reply line cut short");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** An error reply ({@code -ERR ...}, {@code -MOVED ...}); {@link #reply()} is its text without the minus. */
    static final class RedisError extends IllegalStateException {

        private final String reply;

        RedisError(String message, String reply) {
            super(message);
            this.reply = reply;
        }

        String reply() {
            return reply;
        }
    }
}
