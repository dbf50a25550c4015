package dev.herald.bench.compare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Counts the commands a Redis server has executed, from {@code INFO commandstats} ({@code cmdstat_<name>:calls=N,...}
 * per command), over a plain socket: two readings around a phase give the commands it cost. {@code INFO} itself is
 * left out, so reading does not count.
 */
final class RedisCommandStats {

    private final String host;
    private final int port;

    RedisCommandStats(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** The total now. */
    long totalCalls() throws IOException {
        return totalCalls(info());
    }

    /** Sum of {@code calls=} over every {@code cmdstat_} line but {@code cmdstat_info}. */
    static long totalCalls(String info) {
        long total = 0;
        for (String line : info.split("\r?\n")) {
            if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
                continue;
            }
            int at = line.indexOf("calls=");
            if (at < 0) {
                continue;
            }
            int end = line.indexOf(',', at);
            total += Long.parseLong(line.substring(at + "calls=".length(), end < 0 ? line.length() : end));
        }
        return total;
    }

    private String info() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("*2\r\n$4\r\nINFO\r\n$12\r\ncommandstats\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String header = readLine(in);
            if (!header.startsWith("$")) {
                throw new IOException("Redis at " + host + ":" + port + " answered INFO with " + header);
            }
            int length = Integer.parseInt(header.substring(1));
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("Redis at " + host + ":" + port + " closed in the middle of INFO");
            }
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
