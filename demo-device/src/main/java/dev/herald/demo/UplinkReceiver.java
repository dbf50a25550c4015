package dev.herald.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.core.app.CallbackSignature;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The app server's side of uplinks in the local demo: an HTTP endpoint for the demo app's {@code callbackUrl}
 * that checks each callback's {@code X-Herald-Signature} against the app's secret, as docs/protocol.md asks
 * of every app server, and prints one line per callback. A verified one answers 204 (delivered); a forged,
 * stale or unreadable one answers 401 or 400, which Herald counts as a failed attempt and retries.
 *
 * <pre>java -jar demo-device-exec.jar --receive-uplinks=8087 --secret=demo-secret-0123456789 [--path=/uplinks]</pre>
 */
final class UplinkReceiver {

    static final String DEFAULT_PATH = "/uplinks";

    private final List<String> secrets;
    private final JsonMapper json = JsonMapper.builder().build();

    private UplinkReceiver(List<String> secrets) {
        this.secrets = secrets;
    }

    static void run(Map<String, String> opts) throws IOException, InterruptedException {
        String secret = opts.get("secret");
        if (secret == null) {
            System.err.println("--receive-uplinks needs --secret=<app secret> to verify the callbacks' signatures");
            System.exit(2);
        }
        int port = Integer.parseInt(opts.get("receive-uplinks"));
        String path = opts.getOrDefault("path", DEFAULT_PATH);
        UplinkReceiver receiver = new UplinkReceiver(List.of(secret));
        HttpServer server = HttpServer.create(new InetSocketAddress(opts.get("host"), port), 0);
        server.createContext(path, receiver::handle);
        server.start();
        System.out.println(LocalTime.now() + " receiving uplink callbacks on http://" + opts.get("host") + ":" + port
                + path);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            stopped.countDown();
        }));
        stopped.await();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            String timestamp = exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP_HEADER);
            String signature = exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE_HEADER);
            // Verified over the raw bytes, before any parsing, as a real app server must.
            if (!CallbackSignature.verify(secrets, timestamp, signature, body, Instant.now())) {
                System.out.println(LocalTime.now() + " REFUSED a callback: signature or timestamp does not verify ("
                        + CallbackSignature.TIMESTAMP_HEADER + ": " + timestamp + ")");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode uplink;
            String payload;
            try {
                uplink = json.readTree(body);
                payload = new String(Base64.getDecoder().decode(uplink.path("payload").asString("")),
                        StandardCharsets.UTF_8);
            } catch (JacksonException | IllegalArgumentException e) {
                System.out.println(LocalTime.now() + " REFUSED a signed callback that is not an uplink: " + e.getMessage());
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            System.out.println(LocalTime.now() + " UPLINK " + uplink.path("id").asString("?") + " app="
                    + uplink.path("appId").asString("?") + " from " + uplink.path("deviceId").asString("?")
                    + " (signature verified): " + payload);
            exchange.sendResponseHeaders(204, -1);
        }
    }
}
