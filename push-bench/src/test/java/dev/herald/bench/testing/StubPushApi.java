package dev.herald.bench.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.bench.report.ReportWriter;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Stands in for push-api in push-bench's own tests: {@code POST /v1/apps/{app}/messages} with
 * {@code "broadcast": true} answers 202 and pushes the payload to every device of a {@link StubAccessNode}.
 * No authentication check: what is measured here is the device side. Bound to a free loopback port.
 */
public final class StubPushApi implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong broadcastSeq = new AtomicLong();

    public StubPushApi(StubAccessNode node) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/apps/", exchange -> handle(exchange, node));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange, StubAccessNode node) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            JsonNode message = ReportWriter.JSON.readTree(body.readAllBytes());
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod()) || !path.endsWith("/messages")
                    || !message.path("broadcast").asBoolean()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String app = path.split("/")[3];
            byte[] payload = Base64.getDecoder().decode(message.path("base64").asString());
            node.pushToAll(new Frame.Push(1, Frame.Push.FLAG_BROADCAST, MessageId.generate(), app,
                    broadcastSeq.incrementAndGet(), payload));
            exchange.sendResponseHeaders(202, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
