package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.herald.core.app.ApiSignature;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the load tool sends to push-api, captured by a real HTTP server on a free port and checked the
 * way push-api checks it (the same {@link ApiSignature}).
 */
class PushApiClientTest {

    private static final String SECRET = "demo-secret-0123456789";

    private record Captured(String method, String path, String query, String authorization, byte[] body) {
    }

    private final BlockingQueue<Captured> requests = new LinkedBlockingQueue<>();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void signedRequestsVerifyWithTheAppSecretAndEachHasItsOwnNonce() throws Exception {
        PushApiClient client = new PushApiClient(base(), "demo", "demo-key", SECRET, PushApiClient.Auth.SIGNED);
        PushMessage message = PushMessage.unicast("bench-1", new byte[] {1, 2, 3}, false, 60);

        assertThat(client.send(message).get(10, TimeUnit.SECONDS)).isEqualTo(202);
        assertThat(client.send(message).get(10, TimeUnit.SECONDS)).isEqualTo(202);

        Captured first = requests.poll(5, TimeUnit.SECONDS);
        Captured second = requests.poll(5, TimeUnit.SECONDS);
        for (Captured request : List.of(first, second)) {
            ApiSignature.Credentials credentials = ApiSignature.parse(request.authorization()).value().orElseThrow();
            assertThat(credentials.key()).isEqualTo("demo-key");
            assertThat(credentials.timestamp()).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
            String toSign = ApiSignature.stringToSign(credentials.key(), credentials.timestamp(), credentials.nonce(),
                    request.method(), request.path(), request.query(), request.body());
            assertThat(ApiSignature.matches(List.of(SECRET), toSign, credentials.signature())).isTrue();
            assertThat(new String(request.body(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"deviceId\":\"bench-1\",\"base64\":\"AQID\",\"offline\":false,\"ttlSeconds\":60}");
        }
        assertThat(ApiSignature.parse(first.authorization()).credentials().nonce())
                .isNotEqualTo(ApiSignature.parse(second.authorization()).credentials().nonce());
    }

    @Test
    void aSignedBatchIsSignedForTheBatchPath() throws Exception {
        PushApiClient client = new PushApiClient(base(), "demo", "demo-key", SECRET, PushApiClient.Auth.SIGNED);

        assertThat(client.sendBatch(List.of(PushMessage.unicast("bench-1", new byte[] {1}, false, 60),
                PushMessage.unicast("bench-2", new byte[] {2}, true, 30))).get(10, TimeUnit.SECONDS)).isEqualTo(202);

        Captured request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request.path()).isEqualTo("/v1/apps/demo/messages/batch");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"messages\":["
                + "{\"deviceId\":\"bench-1\",\"base64\":\"AQ==\",\"offline\":false,\"ttlSeconds\":60},"
                + "{\"deviceId\":\"bench-2\",\"base64\":\"Ag==\",\"offline\":true,\"ttlSeconds\":30}]}");
        ApiSignature.Credentials credentials = ApiSignature.parse(request.authorization()).value().orElseThrow();
        String toSign = ApiSignature.stringToSign(credentials.key(), credentials.timestamp(), credentials.nonce(),
                request.method(), request.path(), request.query(), request.body());
        assertThat(ApiSignature.matches(List.of(SECRET), toSign, credentials.signature())).isTrue();
    }

    @Test
    void aRoomMessageCarriesOnlyThePayload() throws Exception {
        PushApiClient client = new PushApiClient(base(), "demo", "demo-key", SECRET, PushApiClient.Auth.SIGNED);

        assertThat(client.sendToRoom("lobby", new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS)).isEqualTo(202);

        Captured request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request.path()).isEqualTo("/v1/apps/demo/rooms/lobby/messages");
        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"base64\":\"AQID\"}");
    }

    @Test
    void basicModeSendsKeyAndSecret() throws Exception {
        PushApiClient client = new PushApiClient(base() + "/", "demo", "demo-key", SECRET, PushApiClient.Auth.BASIC);

        assertThat(client.send(PushMessage.broadcast(new byte[] {1}, true, 60)).get(10, TimeUnit.SECONDS))
                .isEqualTo(202);

        Captured request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request.path()).isEqualTo("/v1/apps/demo/messages");
        assertThat(new String(request.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"broadcast\":true,\"base64\":\"AQ==\",\"offline\":true,\"ttlSeconds\":60}");
        assertThat(request.authorization()).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString(("demo-key:" + SECRET).getBytes(StandardCharsets.UTF_8)));
    }
}
