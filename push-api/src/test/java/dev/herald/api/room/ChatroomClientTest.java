package dev.herald.api.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.herald.api.problem.DependencyUnavailableException;
import dev.herald.core.room.RoomApi;
import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.HttpClientPool;
import dev.herald.ops.pools.HttpPoolSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * The chatroom-service client against a real HTTP server on a free port standing in for the chatroom-service:
 * what it sends (paths, query, JSON bodies, the service key) and how it reads each kind of failure.
 */
class ChatroomClientTest {

    private static final String KEY = "chatroom-client-test-key";
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private record Request(String method, String path, String query, String serviceKey, String contentType, String body) {
    }

    private record Answer(int status, String body) {
    }

    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private HttpServer server;
    private HttpClientPool pool;
    private ChatroomClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst(ServiceKey.HEADER),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            Answer answer = answers.poll();
            if (answer == null) { // no answer programmed: hang until the test ends
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        client = clientOf("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private ChatroomClient clientOf(String baseUrl) {
        pool = new HttpClientPool("chatroom", HttpPoolSettings.of(4, TIMEOUT));
        return ChatroomClientConfiguration.create(baseUrl, TIMEOUT, pool,
                new ServiceKey(new InternalApiProperties(KEY, null)));
    }

    @AfterEach
    void stop() {
        release.countDown();
        pool.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    @Test
    void readsCarryTheServiceKeyAndTheirQuery() throws Exception {
        answers.add(new Answer(200, "{\"roomId\":\"lobby\",\"memberCount\":5,\"lastSeq\":42,\"lastActivity\":7}"));
        assertThat(client.room("demo", "lobby").block(Duration.ofSeconds(5)))
                .isEqualTo(new RoomApi.RoomSummary("lobby", 5, 42, 7));
        Request room = requests.poll(5, TimeUnit.SECONDS);
        assertThat(room.method()).isEqualTo("GET");
        assertThat(room.path()).isEqualTo("/internal/v1/rooms/demo/lobby");
        assertThat(room.serviceKey()).isEqualTo(KEY);

        answers.add(new Answer(200, "{\"members\":[{\"deviceId\":\"d1\",\"nodeId\":\"access-1\"}],\"nextCursor\":\"17\"}"));
        assertThat(client.members("demo", "lobby", null, 100).block(Duration.ofSeconds(5)))
                .isEqualTo(new RoomApi.MemberPage(List.of(new RoomApi.Member("d1", "access-1")), "17"));
        assertThat(requests.poll(5, TimeUnit.SECONDS).query()).isEqualTo("limit=100");

        answers.add(new Answer(200, "{\"members\":[]}"));
        assertThat(client.members("demo", "lobby", "17", 10).block(Duration.ofSeconds(5)).nextCursor()).isNull();
        assertThat(requests.poll(5, TimeUnit.SECONDS).query()).contains("cursor=17").contains("limit=10");
    }

    @Test
    void writesSendJsonBodies() throws Exception {
        answers.add(new Answer(202, "{\"messageId\":\"m1\"}"));
        assertThat(client.post("demo", "lobby", new RoomApi.PostRequest(new byte[] {1, 2, 3})).block(Duration.ofSeconds(5)))
                .isEqualTo(new RoomApi.Posted("m1"));
        Request post = requests.poll(5, TimeUnit.SECONDS);
        assertThat(post.method()).isEqualTo("POST");
        assertThat(post.path()).isEqualTo("/internal/v1/rooms/demo/lobby/messages");
        assertThat(post.contentType()).startsWith("application/json");
        assertThat(post.body()).isEqualTo("{\"payload\":\"AQID\"}");
        assertThat(post.serviceKey()).isEqualTo(KEY);

        answers.add(new Answer(204, ""));
        client.kick("demo", "lobby", "d1", new RoomApi.KickRequest(600)).block(Duration.ofSeconds(5));
        Request kick = requests.poll(5, TimeUnit.SECONDS);
        assertThat(kick.path()).isEqualTo("/internal/v1/rooms/demo/lobby/members/d1/kick");
        assertThat(kick.body()).isEqualTo("{\"banSeconds\":600}");

        answers.add(new Answer(204, ""));
        client.unmute("demo", "lobby", "d1").block(Duration.ofSeconds(5));
        assertThat(requests.poll(5, TimeUnit.SECONDS).method()).isEqualTo("DELETE");
    }

    @Test
    void aNotFoundIsLeftForTheCallerToName() {
        answers.add(new Answer(404, "{\"title\":\"Not Found\"}"));
        assertThatThrownBy(() -> client.kick("demo", "lobby", "d1", new RoomApi.KickRequest(0)).block(Duration.ofSeconds(5)))
                .isInstanceOf(WebClientResponseException.NotFound.class);
    }

    @Test
    void aServerErrorIsUnavailableAndAClientErrorIsABug() {
        answers.add(new Answer(503, ""));
        assertThatThrownBy(() -> client.room("demo", "lobby").block(Duration.ofSeconds(5)))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("The chatroom service failed (503)");

        answers.add(new Answer(400, "{\"detail\":\"bad room\"}"));
        assertThatThrownBy(() -> client.room("demo", "lobby").block(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("chatroom-service answered 400: {\"detail\":\"bad room\"}");
    }

    @Test
    void noAnswerWithinTheTimeoutIsUnavailable() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.room("demo", "lobby").block(Duration.ofSeconds(5)))
                .isInstanceOf(DependencyUnavailableException.class)
                .hasMessageContaining("did not answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void noServerIsUnavailable() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        pool.close();
        ChatroomClient unreachable = clientOf("http://127.0.0.1:" + closed);
        assertThatThrownBy(() -> unreachable.room("demo", "lobby").block(Duration.ofSeconds(5)))
                .isInstanceOf(DependencyUnavailableException.class);
    }
}
