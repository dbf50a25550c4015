package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.ops.pools.HttpClientPool;
import dev.herald.ops.profiling.ProfileRecorder;
import dev.herald.ops.profiling.Snapshot;
import dev.herald.ops.testapp.OpsTestApplication;
import dev.herald.testsupport.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * ops-support in a running service: real Redis, real ZooKeeper, a public port and a separate management
 * port. Both extensions come before {@code @SpringBootTest}, so they stop after the context closed.
 */
@ExtendWith({RedisExtension.class, ZooKeeperExtension.class})
@SpringBootTest(classes = OpsTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class OpsSupportIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    ReactiveStringRedisTemplate redis;
    @Autowired
    HttpClientPool selfPool;
    @Autowired
    ClusterInstances instances;
    @Autowired
    ProfileRecorder recorder;

    private WebTestClient management;
    private WebTestClient publicPort;

    @BeforeEach
    void clients() {
        management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .responseTimeout(Duration.ofSeconds(30)).build();
        publicPort = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    private JsonNode getJson(String path) {
        byte[] body = management.get().uri(path).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private static JsonNode pool(JsonNode report, String name) {
        for (JsonNode pool : report.path("pools")) {
            if (name.equals(pool.path("pool").asString())) {
                return pool;
            }
        }
        throw new AssertionError("no pool " + name + " in " + report);
    }

    /** Redis commands, and HTTP calls through the pool: 20 answered, 2 answered 500. */
    private void traffic() {
        for (int i = 0; i < 20; i++) {
            redis.opsForValue().set("ops:test:" + i, "v").block(WAIT);
        }
        for (int i = 0; i < 22; i++) {
            String path = i < 20 ? "/hello" : "/boom";
            selfPool.httpClient().get().uri("http://127.0.0.1:" + port + path)
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")).block(WAIT);
        }
    }

    @Test
    void actuatorIsServedOnTheManagementPortOnly() {
        publicPort.get().uri("/actuator/health").exchange().expectStatus().isNotFound().expectBody().returnResult();
        publicPort.get().uri("/hello").exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("hello");
        management.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("UP");
    }

    @Test
    void livenessIsTheProcessAloneAndReadinessIncludesRedisAndZooKeeper() {
        JsonNode liveness = getJson("/actuator/health/liveness");
        assertThat(liveness.path("status").asString()).isEqualTo("UP");
        assertThat(liveness.path("components").propertyNames()).containsExactly("livenessState");

        JsonNode readiness = getJson("/actuator/health/readiness");
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").propertyNames())
                .containsExactlyInAnyOrder("readinessState", "redis", "zookeeper");
    }

    @Test
    void thePoolsEndpointShowsTheEightColumnsWithCountsAfterTraffic() {
        traffic();

        // QPS covers the last whole seconds: it shows once the second of the traffic is over.
        JsonNode report = await().atMost(WAIT).until(() -> getJson("/actuator/pools"),
                r -> pool(r, "redis").path("qps").asDouble() > 0 && pool(r, "self").path("qps").asDouble() > 0);

        assertThat(report.path("service").asString()).isEqualTo("ops-test");
        assertThat(report.path("node").asString()).isEqualTo("ops-node-1");
        assertThat(report.path("cell").asString()).isEqualTo("c9");
        for (String name : List.of("redis", "self", "zookeeper")) {
            assertThat(pool(report, name).propertyNames()).as(name).contains("idle", "active", "created",
                    "createFailures", "acquireTimeouts", "callErrors", "idleTimeouts", "qps", "calls", "kind", "target");
        }
        JsonNode redisPool = pool(report, "redis");
        assertThat(redisPool.path("kind").asString()).isEqualTo("redis");
        assertThat(redisPool.path("created").asLong()).isPositive();
        assertThat(redisPool.path("calls").asLong()).isGreaterThanOrEqualTo(20);
        assertThat(redisPool.path("idle").asLong() + redisPool.path("active").asLong()).isPositive();
        assertThat(redisPool.path("target").asString()).endsWith(":" + System.getProperty("spring.data.redis.port"));

        JsonNode http = pool(report, "self");
        assertThat(http.path("kind").asString()).isEqualTo("http");
        assertThat(http.path("created").asLong()).isPositive();
        assertThat(http.path("calls").asLong()).isGreaterThanOrEqualTo(22);
        assertThat(http.path("callErrors").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(http.path("idle").asLong()).isPositive();
        assertThat(http.path("target").asString()).isEqualTo("127.0.0.1:" + port);

        JsonNode zookeeper = pool(report, "zookeeper");
        assertThat(zookeeper.path("created").asLong()).isEqualTo(1);
        assertThat(zookeeper.path("active").asLong()).isEqualTo(1);
        assertThat(zookeeper.path("calls").asLong()).isPositive();
    }

    @Test
    void everyMeterCarriesServiceNodeAndCellAndPoolsAreMeters() {
        traffic();

        String prometheus = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(prometheus).contains("jvm_memory_used_bytes{area=\"heap\",cell=\"c9\"")
                .contains("node=\"ops-node-1\"").contains("service=\"ops-test\"");
        String calls = prometheus.lines().filter(l -> l.startsWith("herald_pool_calls_total{") && l.contains("pool=\"self\""))
                .findFirst().orElseThrow();
        assertThat(calls).contains("kind=\"http\"", "cell=\"c9\"", "node=\"ops-node-1\"", "service=\"ops-test\"");
        assertThat(Double.parseDouble(calls.substring(calls.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(22);
        for (String meter : List.of("herald_pool_idle{", "herald_pool_active{", "herald_pool_qps{", "herald_pool_created_connections_total{",
                "herald_pool_create_failures_total{", "herald_pool_acquire_timeouts_total{", "herald_pool_call_errors_total{",
                "herald_pool_idle_timeouts_total{")) {
            assertThat(prometheus).contains(meter);
        }
    }

    @Test
    void thisInstanceIsInTheClusterListingWithItsPorts() throws Exception {
        await().atMost(WAIT).untilAsserted(() -> assertThat(instances.list("ops-test"))
                .extracting(ClusterInstance::node).containsExactly("ops-node-1"));
        ClusterInstance self = instances.list("ops-test").get(0);
        assertThat(self.cell()).isEqualTo("c9");
        assertThat(self.host()).isEqualTo("127.0.0.1");
        assertThat(self.port()).isEqualTo(port);
        assertThat(self.managementPort()).isEqualTo(managementPort);
    }

    @Test
    void aSnapshotIsCapturedDownloadedSummarisedAndDiffed() throws Exception {
        String busy;
        try (CpuBurner burner = CpuBurner.start()) {
            busy = capture(2);
        }
        String quiet = capture(1);

        JsonNode list = getJson("/actuator/profiles");
        assertThat(list.path("snapshots").findValuesAsString("id")).contains(busy, quiet);
        assertThat(list.path("interval").asString()).isEqualTo("PT0S");

        byte[] jfr = management.get().uri("/actuator/profiles/" + busy).exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .expectBody().returnResult().getResponseBody();
        assertThat(Arrays.copyOf(jfr, 4)).isEqualTo("FLR\0".getBytes(StandardCharsets.US_ASCII));

        JsonNode summary = getJson("/actuator/profiles/" + busy + "/summary");
        assertThat(summary.path("snapshot").path("id").asString()).isEqualTo(busy);
        assertThat(summary.path("executionSamples").asLong()).isPositive();
        assertThat(summary.path("topCpuMethods").findValuesAsString("method"))
                .anyMatch(m -> m.contains(CpuBurner.class.getSimpleName()));
        assertThat(summary.path("topCpuMethods").size()).isLessThanOrEqualTo(20);
        assertThat(summary.path("allocatedBytes").asLong()).isPositive();
        assertThat(summary.path("topAllocationSites").size()).isPositive();
        assertThat(summary.has("gc")).isTrue();
        assertThat(summary.path("gc").has("maxPauseMillis")).isTrue();

        JsonNode diff = getJson("/actuator/profiles/diff?from=" + busy + "&to=" + quiet);
        assertThat(diff.path("from").path("id").asString()).isEqualTo(busy);
        assertThat(diff.path("to").path("id").asString()).isEqualTo(quiet);
        JsonNode burnerChange = null;
        for (JsonNode change : diff.path("cpu")) {
            if (change.path("name").asString().contains(CpuBurner.class.getSimpleName())) {
                burnerChange = change;
            }
        }
        assertThat(burnerChange).as("the burner's share fell").isNotNull();
        assertThat(burnerChange.path("delta").asDouble()).isNegative();
    }

    private String capture(int seconds) {
        byte[] body = management.post().uri("/actuator/profiles").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"durationSeconds\": " + seconds + "}").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        String id = JSON.readTree(body).path("id").asString();
        assertThat(id).matches("[0-9]{8}T[0-9]{9}Z-on-demand");
        return id;
    }

    @Test
    void profilesAnswerProblemsForWhatCannotBeDone() throws Exception {
        CompletableFuture<Snapshot> running = recorder.capture(Duration.ofSeconds(1), Snapshot.ON_DEMAND);
        management.post().uri("/actuator/profiles").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.code").isEqualTo("PROFILER_BUSY");
        running.get();

        management.post().uri("/actuator/profiles").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"durationSeconds\": 0}").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_DURATION");
        management.get().uri("/actuator/profiles/20200101T000000000Z-on-demand").exchange().expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        management.get().uri("/actuator/profiles/..%2Fsecret").exchange().expectStatus().isNotFound()
                .expectBody().returnResult();
        management.get().uri("/actuator/profiles/diff?from=x").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
    }

    /** Keeps one thread busy in its own method, so that the method stands out in the CPU samples. */
    static final class CpuBurner implements AutoCloseable {

        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread = new Thread(this::burnCpu, "cpu-burner");
        private volatile long sink;

        static CpuBurner start() {
            CpuBurner burner = new CpuBurner();
            burner.thread.start();
            return burner;
        }

        private void burnCpu() {
            long x = 1;
            while (!stop.get()) {
                for (int i = 0; i < 100_000; i++) {
                    x = x * 6364136223846793005L + 1442695040888963407L;
                }
                sink = x;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }
}
