package dev.herald.ops.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.testsupport.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/** Each column of an HTTP pool, against a real server (on its own event loops). */
class HttpClientPoolTest {

    private static LoopResources loops;
    private static DisposableServer server;
    private HttpClientPool pool;

    @BeforeAll
    static void startServer() {
        loops = LoopResources.create("stub-server", 1, true);
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes
                        .get("/ok", (request, response) -> response.sendString(Mono.just("ok")))
                        .get("/fail", (request, response) -> response.status(503).sendString(Mono.just("down")))
                        .get("/slow", (request, response) -> response.sendString(
                                Mono.delay(Duration.ofMillis(1500)).thenReturn("late"))))
                .bindNow();
    }

    @AfterAll
    static void stopServer() {
        server.disposeNow();
        loops.disposeLater().block(Duration.ofSeconds(5));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    private String get(String path) {
        return get(server.port(), path);
    }

    private String get(int port, String path) {
        return pool.httpClient().get().uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty(""))
                .block(Duration.ofSeconds(10));
    }

    @Test
    void callsReuseAnIdleConnectionAndA5xxIsACallError() {
        pool = new HttpClientPool("calls", HttpPoolSettings.of(4, Duration.ofSeconds(2)));

        for (int i = 0; i < 5; i++) {
            assertThat(get("/ok")).isEqualTo("ok");
        }
        get("/fail");

        // A connection goes back to the pool just after its answer was read: the next call may find none free yet
        // and open a second one. All are back, idle, soon after.
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == pool.stats().created());
        PoolStats stats = pool.stats();
        assertThat(stats.kind()).isEqualTo("http");
        assertThat(stats.target()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(stats.calls()).isEqualTo(6);
        assertThat(stats.created()).isBetween(1L, 2L);
        assertThat(stats.callErrors()).isEqualTo(1);
        assertThat(stats.active()).isZero();
        assertThat(stats.createFailures()).isZero();
    }

    @Test
    void aCallerWaitingTooLongForTheOnlyConnectionIsAnAcquireTimeout() {
        pool = new HttpClientPool("busy", new HttpPoolSettings(1, Duration.ofMillis(200), Duration.ofSeconds(30),
                Duration.ofSeconds(10)));
        Mono<String> slow = pool.httpClient().get().uri("http://127.0.0.1:" + server.port() + "/slow")
                .responseSingle((response, body) -> body.asString());
        var holding = slow.subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().active() == 1);

        assertThatThrownBy(() -> get("/ok")).hasMessageContaining("Pool#acquire");

        assertThat(pool.stats().acquireTimeouts()).isEqualTo(1);
        holding.dispose();
    }

    @Test
    void aConnectionThatCannotBeMadeIsACreateFailure() {
        pool = new HttpClientPool("refused", HttpPoolSettings.of(4, Duration.ofSeconds(2)));
        int closedPort = RedisServer.freePort();

        assertThatThrownBy(() -> get(closedPort, "/ok")).hasMessageContaining("Connection refused");

        assertThat(pool.stats().createFailures()).isEqualTo(1);
        assertThat(pool.stats().created()).isZero();
        assertThat(pool.stats().acquireTimeouts()).isZero();
    }

    @Test
    void aConnectionLeftIdleIsClosedAndCountedOnce() {
        pool = new HttpClientPool("idle", new HttpPoolSettings(4, Duration.ofSeconds(2), Duration.ofMillis(200),
                Duration.ofMillis(100)));
        get("/ok");

        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idleTimeouts() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> pool.stats().idle() == 0);

        get("/ok");
        assertThat(pool.stats().created()).isEqualTo(2);
        assertThat(pool.stats().idleTimeouts()).isEqualTo(1);
        assertThat(pool.stats().calls()).isEqualTo(2);
    }
}
