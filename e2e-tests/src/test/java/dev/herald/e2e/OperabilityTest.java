package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.testsupport.ServiceProcess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * What an SRE relies on (docs/operations.md), on the running suite: the actuator on each service's
 * management port only; health groups with Kubernetes' meaning; Prometheus metrics; the pool statistics
 * with the eight columns moving under traffic; a JFR snapshot captured, summarised, downloaded and
 * diffed; every instance in the cluster listing with its ports.
 */
@ExtendWith(HeraldSuite.class)
class OperabilityTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** The services with Redis; the config-server has only ZooKeeper. */
    private static List<ServiceProcess> redisServices() {
        HeraldSuite s = HeraldSuite.get();
        return List.of(s.api, s.dispatcher, s.saver, s.access1, s.access2);
    }

    private static List<ServiceProcess> allServices() {
        HeraldSuite s = HeraldSuite.get();
        return List.of(s.configServer, s.api, s.dispatcher, s.saver, s.access1, s.access2);
    }

    @Test
    void theActuatorIsOnTheManagementPortAndNotOnThePublicOne() {
        for (ServiceProcess service : allServices()) {
            ManagementPort port = new ManagementPort(service);
            assertThat(port.get("/actuator/health", false).statusCode()).as(service.name() + " public port").isEqualTo(404);
            assertThat(port.get("/actuator/prometheus", false).statusCode()).as(service.name() + " public port").isEqualTo(404);
            assertThat(port.json("/actuator/health").path("status").asString()).as(service.name()).isEqualTo("UP");
        }
    }

    @Test
    void everyServiceIsHealthyWithItsRedisAndZooKeeper() {
        for (ServiceProcess service : redisServices()) {
            JsonNode health = new ManagementPort(service).json("/actuator/health");
            assertThat(health.path("components").path("redis").path("status").asString()).as(service.name()).isEqualTo("UP");
            assertThat(health.path("components").path("zookeeper").path("status").asString()).as(service.name())
                    .isEqualTo("UP");
        }
    }

    @Test
    void livenessIsTheProcessAloneAndReadinessNeedsRedisAndZooKeeper() {
        for (ServiceProcess service : allServices()) {
            ManagementPort port = new ManagementPort(service);
            assertThat(port.json("/actuator/health/liveness").path("components").propertyNames()).as(service.name())
                    .containsExactly("livenessState");
            List<String> expected = service == HeraldSuite.get().configServer
                    ? List.of("readinessState", "zookeeper")
                    : List.of("readinessState", "redis", "zookeeper");
            assertThat(port.json("/actuator/health/readiness").path("components").propertyNames()).as(service.name())
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void everyServiceExposesPrometheusMetricsWithItsTags() {
        for (ServiceProcess service : allServices()) {
            String text = new ManagementPort(service).prometheus();
            assertThat(ManagementPort.line(text, "jvm_memory_used_bytes")).as(service.name())
                    .contains("node=\"" + service.name() + "\"", "cell=\"default\"");
            assertThat(text).as(service.name()).contains("herald_pool_calls_total{", "herald_profiles_captured_total{");
        }
    }

    @Test
    void poolsShowTheEightColumnsWithCountsAfterTraffic() {
        HeraldSuite suite = HeraldSuite.get();
        PushApi push = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "pools-" + UUID.randomUUID();
        try (Device device = new Device(deviceId, push.token(deviceId)).connect(suite.access1Port)) {
            // Offline-flagged: the dispatcher stores it in Redis before delivering; the device's connect fetched its
            // backlog through the access node's saver pool.
            String id = push.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"pooled\",\"offline\":true}");
            await().atMost(WAIT).until(() -> device.count(id) == 1 || device.texts().contains("pooled"));
        }

        assertPools(suite.dispatcher, List.of("redis", "uplink-callbacks", "zookeeper"), List.of("redis"));
        assertPools(suite.access1, List.of("redis", "saver", "zookeeper"), List.of("redis", "saver"));
        // push-api also holds the HTTP pool to the chatroom-service (room REST), idle until a room call.
        assertPools(suite.api, List.of("chatroom", "redis", "zookeeper"), List.of("redis"));
        assertPools(suite.saver, List.of("redis", "zookeeper"), List.of("redis"));
        // The config-server also holds the ops console's HTTP pool to the management ports.
        assertPools(suite.configServer, List.of("management", "zookeeper"), List.of("zookeeper"));
    }

    /** Every pool has the eight columns; the busy ones have created connections, calls and (recent) QPS. */
    private static void assertPools(ServiceProcess service, List<String> names, List<String> busy) {
        ManagementPort port = new ManagementPort(service);
        JsonNode report = port.json("/actuator/pools");
        assertThat(report.path("service").asString()).isNotBlank();
        assertThat(report.path("node").asString()).isEqualTo(service.name());
        assertThat(report.path("pools").findValuesAsString("pool")).as(service.name()).containsExactlyElementsOf(names);
        for (JsonNode pool : report.path("pools")) {
            assertThat(pool.propertyNames()).as(service.name() + " " + pool.path("pool").asString()).contains("idle",
                    "active", "created", "createFailures", "acquireTimeouts", "callErrors", "idleTimeouts", "qps");
            String name = pool.path("pool").asString();
            if (busy.contains(name)) {
                assertThat(pool.path("created").asLong()).as(service.name() + " " + name + " created").isPositive();
                assertThat(pool.path("calls").asLong()).as(service.name() + " " + name + " calls").isPositive();
                assertThat(pool.path("idle").asLong() + pool.path("active").asLong())
                        .as(service.name() + " " + name + " open").isPositive();
            }
        }
        // Redis serves heartbeats and health checks all the time: its rate over the last seconds shows.
        if (busy.contains("redis")) {
            await().atMost(WAIT).until(() -> pool(port.json("/actuator/pools"), "redis").path("qps").asDouble() > 0);
        }
    }

    private static JsonNode pool(JsonNode report, String name) {
        for (JsonNode pool : report.path("pools")) {
            if (name.equals(pool.path("pool").asString())) {
                return pool;
            }
        }
        throw new AssertionError("no pool " + name + " in " + report);
    }

    @Test
    void aJfrSnapshotIsCapturedSummarisedDownloadedAndDiffedOverTheManagementPort() throws Exception {
        HeraldSuite suite = HeraldSuite.get();
        ManagementPort api = new ManagementPort(suite.api);
        PushApi push = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);

        // An idle service runs no Java code to sample: keep push-api busy while it records.
        CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> capture(api, 3));
        while (!busy.isDone()) {
            push.token("profiled-" + UUID.randomUUID());
        }
        String first = busy.get();
        String second = capture(api, 1);

        JsonNode list = api.json("/actuator/profiles");
        assertThat(list.path("interval").asString()).as("scheduled snapshots are off in tests").isEqualTo("PT0S");
        assertThat(list.path("snapshots").findValuesAsString("id")).contains(first, second);
        JsonNode summary = api.json("/actuator/profiles/" + first + "/summary");
        assertThat(summary.path("executionSamples").asLong()).isPositive();
        assertThat(summary.path("topCpuMethods").size()).isPositive();
        assertThat(summary.path("allocatedBytes").asLong()).isPositive();
        assertThat(summary.path("topAllocationSites").size()).isPositive();
        assertThat(summary.path("gc").has("totalPauseMillis")).isTrue();
        assertThat(summary.path("threads").path("peak").asLong()).isPositive();
        HttpResponse<byte[]> jfr = api.get("/actuator/profiles/" + first, true);
        assertThat(jfr.statusCode()).isEqualTo(200);
        assertThat(Arrays.copyOf(jfr.body(), 4)).isEqualTo("FLR\0".getBytes(StandardCharsets.US_ASCII));
        JsonNode diff = api.json("/actuator/profiles/diff?from=" + first + "&to=" + second);
        assertThat(diff.path("from").path("id").asString()).isEqualTo(first);
        assertThat(diff.path("to").path("id").asString()).isEqualTo(second);
        assertThat(diff.path("cpu").size()).isPositive();
        assertThat(diff.has("heapAfterGcDelta")).isTrue();
    }

    private static String capture(ManagementPort port, int seconds) {
        HttpResponse<String> response = port.post("/actuator/profiles", "{\"durationSeconds\": " + seconds + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return PushApi.JSON.readTree(response.body()).path("id").asString();
    }

    @Test
    void everyInstanceIsInTheClusterListingWithItsManagementPort() throws Exception {
        HeraldSuite suite = HeraldSuite.get();
        try (CuratorFramework curator = CuratorFrameworkFactory.newClient(suite.zookeeper.getConnectString(),
                new RetryNTimes(10, 200))) {
            curator.start();
            ClusterInstances instances = new ClusterInstances(curator, "/herald");
            await().atMost(WAIT).untilAsserted(() -> {
                List<ClusterInstance> listed = instances.list();
                for (ServiceProcess service : allServices()) {
                    assertThat(listed).as(service.name()).anySatisfy(i -> {
                        assertThat(i.node()).isEqualTo(service.name());
                        assertThat(i.managementPort()).isEqualTo(service.managementPort());
                        assertThat(i.port()).isEqualTo(service.httpPort());
                        assertThat(i.host()).isEqualTo("127.0.0.1");
                    });
                }
            });
            assertThat(instances.list("access-service")).extracting(ClusterInstance::node).contains("access-1", "access-2");
        }
    }
}
