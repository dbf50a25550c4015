package dev.herald.configserver.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.configserver.ConfigServerIntegrationTest;
import dev.herald.configserver.ZooKeeperServerExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The cluster API against a real ZooKeeper: instances register themselves as the services do (config-client's
 * {@link InstanceRegistration}), and stub management ports answer for them; one registered instance has nothing
 * listening. Proves the aggregation (grouping, health, metrics, the eight pool columns, unreachable instances),
 * the relays (pools, health, profiles: list, capture, summary, diff, download), the instance's own problems passed
 * on, and the problems of the API itself.
 */
class ClusterApiTest extends ConfigServerIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ROOT = "/herald";

    private static CuratorFramework curator;
    private static StubManagementServer access;
    private static StubManagementServer api;
    private static final List<InstanceRegistration> registrations = new ArrayList<>();
    private static int deadPort;

    @BeforeAll
    static void registerInstances() throws Exception {
        curator = CuratorFrameworkFactory.newClient(ZooKeeperServerExtension.connectString(), new RetryOneTime(100));
        curator.start();
        access = new StubManagementServer("access-service", "access-1");
        api = new StubManagementServer("push-api", "api-1");
        api.down();
        api.withoutProfiles();
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        register(new ClusterInstance("access-service", "access-1", "default", "127.0.0.1", 7070, access.port(), Instant.now()));
        register(new ClusterInstance("push-api", "api-1", "default", "127.0.0.1", 8080, api.port(), Instant.now()));
        register(new ClusterInstance("saver-service", "saver-1", "east", "127.0.0.1", 8083, deadPort, Instant.now()));
    }

    private static InstanceRegistration register(ClusterInstance instance) {
        InstanceRegistration registration = new InstanceRegistration(curator, ROOT, Duration.ofSeconds(5));
        assertThat(registration.register(instance)).isTrue();
        registrations.add(registration);
        return registration;
    }

    @AfterAll
    static void unregister() {
        registrations.forEach(InstanceRegistration::close);
        access.close();
        api.close();
        curator.close();
    }

    @AfterEach
    void healthyAgain() {
        access.busy(false);
        access.delay(Duration.ZERO);
    }

    @Test
    void clusterGroupsEveryInstanceByCellAndServiceWithHealthMetricsAndPools() {
        // The config-server may list itself too (cell default): the assertions name the stubs' instances.
        JsonNode report = getJson("/admin/v1/cluster");
        List<JsonNode> all = new ArrayList<>();
        report.path("cells").forEach(cell -> cell.path("services").forEach(service -> service.path("instances").forEach(all::add)));
        assertThat(report.path("instances").asInt()).isEqualTo(all.size()).isGreaterThanOrEqualTo(3);
        assertThat(report.path("up").asInt()).isEqualTo(all.stream().filter(i -> i.path("status").asString().equals("UP")).count());
        assertThat(members(report.path("cells"), "cell")).containsExactly("default", "east");
        JsonNode defaultCell = report.path("cells").get(0);
        assertThat(members(defaultCell.path("services"), "service")).contains("access-service", "push-api").isSorted();

        JsonNode node = instance(defaultCell, "access-service", "access-1");
        assertThat(node.path("node").asString()).isEqualTo("access-1");
        assertThat(node.path("status").asString()).isEqualTo("UP");
        assertThat(node.path("managementPort").asInt()).isEqualTo(access.port());
        assertThat(node.path("components").path("redis").asString()).isEqualTo("UP");
        JsonNode metrics = node.path("metrics");
        assertThat(metrics.path("connections").asDouble()).as("native + mqtt series, not the blocked counter").isEqualTo(3.0);
        assertThat(metrics.path("cpuPercent").asDouble()).isEqualTo(12.5);
        assertThat(metrics.path("heapUsedBytes").asDouble()).isEqualTo(3 * 1024 * 1024);
        assertThat(metrics.path("heapMaxBytes").asDouble()).isEqualTo(12 * 1024 * 1024);
        assertThat(metrics.path("liveThreads").asDouble()).isEqualTo(42);
        assertThat(metrics.path("uptimeSeconds").asDouble()).isEqualTo(3725.5);
        assertThat(metrics.path("gcPauseMaxMillis").asDouble()).isEqualTo(31.0);
        JsonNode redis = node.path("pools").get(0);
        assertThat(redis.path("pool").asString()).isEqualTo("redis");
        List<String> columns = List.of("idle", "active", "created", "createFailures", "acquireTimeouts", "callErrors",
                "idleTimeouts", "qps");
        for (int i = 0; i < columns.size(); i++) {
            assertThat(redis.path(columns.get(i)).asDouble()).as(columns.get(i)).isEqualTo(i == 7 ? 8.5 : i + 1);
        }
        assertThat(node.path("problems").isEmpty()).isTrue();

        JsonNode sick = instance(defaultCell, "push-api", "api-1");
        assertThat(sick.path("status").asString()).isEqualTo("DOWN");
        assertThat(sick.path("components").path("redis").asString()).isEqualTo("DOWN");
        assertThat(sick.path("pools").size()).as("a DOWN instance still shows its pools").isEqualTo(2);

        JsonNode unreachable = instance(report.path("cells").get(1), "saver-service", "saver-1");
        assertThat(unreachable.path("status").asString()).isEqualTo("UNREACHABLE");
        assertThat(unreachable.path("pools").isNull()).isTrue();
        assertThat(unreachable.path("metrics").isNull()).isTrue();
        assertThat(unreachable.path("problems").get(0).asString()).contains("saver-service/saver-1", "unreachable");
    }

    @Test
    void oneInstanceReportAndItsHealthAndPoolsAreRelayed() {
        assertThat(getJson("/admin/v1/cluster/access-service/access-1").path("metrics").path("connections").asDouble())
                .isEqualTo(3.0);
        // The instance answered 503 with its health document; the relay itself succeeded.
        JsonNode health = getJson("/admin/v1/cluster/push-api/api-1/health");
        assertThat(health.path("status").asString()).isEqualTo("DOWN");
        assertThat(health.path("components").path("redis").path("status").asString()).isEqualTo("DOWN");
        JsonNode pools = getJson("/admin/v1/cluster/access-service/access-1/pools");
        assertThat(pools.path("node").asString()).isEqualTo("access-1");
        assertThat(pools.path("pools").findValuesAsString("pool")).containsExactly("redis", "zookeeper");
    }

    @Test
    void profilesAreListedCapturedSummarisedDiffedAndDownloaded() {
        String base = "/admin/v1/cluster/access-service/access-1/profiles";
        assertThat(getJson(base).path("snapshots").findValuesAsString("id"))
                .containsExactly(StubManagementServer.SNAPSHOT_2, StubManagementServer.SNAPSHOT_1);

        JsonNode captured = JSON.readTree(admin().post().uri(base).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"durationSeconds\": 7}").exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(captured.path("id").asString()).isEqualTo(StubManagementServer.SNAPSHOT_2);
        assertThat(access.captures()).last().isEqualTo("{\"durationSeconds\":7}");

        JsonNode summary = getJson(base + "/" + StubManagementServer.SNAPSHOT_1 + "/summary");
        assertThat(summary.path("snapshot").path("id").asString()).isEqualTo(StubManagementServer.SNAPSHOT_1);
        assertThat(summary.path("topCpuMethods").get(0).path("method").asString()).isEqualTo("a.B.c");

        JsonNode diff = getJson(base + "/diff?from=" + StubManagementServer.SNAPSHOT_1 + "&to=" + StubManagementServer.SNAPSHOT_2);
        assertThat(diff.path("from").path("id").asString()).isEqualTo(StubManagementServer.SNAPSHOT_1);
        assertThat(diff.path("to").path("id").asString()).isEqualTo(StubManagementServer.SNAPSHOT_2);
        assertThat(access.paths()).contains("/actuator/profiles/diff?from=" + StubManagementServer.SNAPSHOT_1 + "&to="
                + StubManagementServer.SNAPSHOT_2);

        byte[] jfr = admin().get().uri(base + "/" + StubManagementServer.SNAPSHOT_1).exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"access-service-access-1-" + StubManagementServer.SNAPSHOT_1 + ".jfr\"")
                .expectBody().returnResult().getResponseBody();
        assertThat(jfr).isEqualTo(StubManagementServer.JFR);
    }

    @Test
    void theInstancesOwnProblemsArePassedOn() {
        String base = "/admin/v1/cluster/access-service/access-1/profiles";
        access.busy(true);
        expectProblem(admin().post().uri(base).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"durationSeconds\": 1}")
                .exchange(), 409, "PROFILER_BUSY");
        expectProblem(admin().get().uri(base + "/20200101T000000000Z-on-demand/summary").exchange(), 404, "NOT_FOUND");
        expectProblem(admin().get().uri(base + "/20200101T000000000Z-on-demand").exchange(), 404, "NOT_FOUND");
    }

    @Test
    void anUnreachableInstanceAnswers502AndASlowOne504() {
        expectProblem(admin().get().uri("/admin/v1/cluster/saver-service/saver-1/pools").exchange(), 502,
                "INSTANCE_UNREACHABLE")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("saver-service/saver-1",
                        "127.0.0.1:" + deadPort));

        access.delay(Duration.ofSeconds(3));
        expectProblem(admin().get().uri("/admin/v1/cluster/access-service/access-1/pools").exchange(), 504,
                "INSTANCE_TIMEOUT");
        JsonNode slow = getJson("/admin/v1/cluster/access-service/access-1");
        assertThat(slow.path("status").asString()).isEqualTo("UNREACHABLE");
        assertThat(slow.path("problems").toString()).contains("did not answer");
    }

    @Test
    void unknownInstancesAndBadRequestsAreProblems() {
        expectProblem(admin().get().uri("/admin/v1/cluster/push-api/api-9/pools").exchange(), 404, "NOT_FOUND")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("push-api/api-9"));
        expectProblem(admin().get().uri("/admin/v1/cluster/push-api/api-1/profiles/bad!id/summary").exchange(), 400,
                "INVALID_REQUEST");
        expectProblem(admin().get().uri("/admin/v1/cluster/push-api/api-1/profiles/diff?from=x").exchange(), 400,
                "INVALID_REQUEST").jsonPath("$.errors[0].field").isEqualTo("to");
        expectProblem(admin().post().uri("/admin/v1/cluster/push-api/api-1/profiles")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"durationSeconds\": 0}").exchange(), 400,
                "INVALID_REQUEST").jsonPath("$.errors[0].field").isEqualTo("durationSeconds");
        // push-api's stub has no profiles endpoint (profiling off): a plain 404, not a problem document.
        expectProblem(admin().get().uri("/admin/v1/cluster/push-api/api-1/profiles").exchange(), 404, "NOT_FOUND")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("push-api/api-1 has no "
                        + "/actuator/profiles"));
        expectProblem(patient().get().uri("/admin/v1/cluster").exchange(), 401, "UNAUTHORIZED");
    }

    @Test
    void theConsolePageIsServedWithAStrictContentSecurityPolicy() {
        patient().get().uri("/console").exchange().expectStatus().isPermanentRedirect()
                .expectHeader().location("/console/").expectBody().isEmpty();
        String page = patient().get().uri("/console/").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("script-src 'self'", "connect-src 'self'").doesNotContain("unsafe"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("<script src=\"console.js\" defer></script>", "Herald ops console");
        patient().get().uri("/console/console.js").exchange().expectStatus().isOk().expectBody(String.class)
                .value(js -> assertThat(js).contains("/admin/v1/cluster"));
        patient().get().uri("/console/console.css").exchange().expectStatus().isOk().expectBody().returnResult();
    }

    private static JsonNode instance(JsonNode cell, String service, String node) {
        for (JsonNode group : cell.path("services")) {
            for (JsonNode instance : group.path("instances")) {
                if (group.path("service").asString().equals(service) && instance.path("node").asString().equals(node)) {
                    return instance;
                }
            }
        }
        throw new AssertionError("no " + service + "/" + node + " in " + cell);
    }

    /** The first requests of a class load many classes: seconds on a busy machine, beyond the default 5 s. */
    private WebTestClient patient() {
        return web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    private WebTestClient admin() {
        return asAdmin().mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** The member {@code name} of each element of {@code array}. */
    private static List<String> members(JsonNode array, String name) {
        List<String> values = new ArrayList<>();
        array.forEach(element -> values.add(element.path(name).asString()));
        return values;
    }

    private JsonNode getJson(String uri) {
        return JSON.readTree(admin().get().uri(uri).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody());
    }

    private static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, int status, String code) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.detail").isNotEmpty();
    }
}
