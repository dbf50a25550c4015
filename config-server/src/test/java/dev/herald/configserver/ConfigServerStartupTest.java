package dev.herald.configserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.configserver.tree.DefaultTree;
import dev.herald.configserver.tree.DocumentCodec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a fresh config-server does on start-up, and the endpoints beside the admin API. */
class ConfigServerStartupTest extends ConfigServerIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration SLOW_FIRST_REQUEST = Duration.ofMinutes(2);

    @Autowired
    CuratorFramework curator;

    @Autowired
    DefaultTree defaultTree;

    @Autowired
    ClusterInstances instances;

    @Test
    void firstStartSeedsTheDefaultTreeAndLaterChecksSeedNothing() throws Exception {
        Stat demoBefore = curator.checkExists().forPath("/herald/config/apps/demo");
        assertThat(demoBefore.getVersion()).isZero();
        JsonNode demo = JSON.readTree(curator.getData().forPath("/herald/config/apps/demo"));
        assertThat(demo.get("state").stringValue()).isEqualTo("online");
        assertThat(demo.get("updatedBy").stringValue()).isEqualTo(DefaultTree.SEEDED_BY);
        assertThat(demo.get("value")).isEqualTo(JSON.readTree("""
                {"id":"demo","name":"Demo","key":"demo-key","secrets":["demo-secret-0123456789"],"cell":"default",
                 "limits":{"messagesPerSecond":0,"messagesPerDay":0},"callbackUrl":null}"""));
        assertThat(JSON.readTree(curator.getData().forPath("/herald/config/global/blacklist-ips")).get("value"))
                .isEqualTo(JSON.readTree("{\"entries\":[]}"));
        assertThat(JSON.readTree(curator.getData().forPath("/herald/config/global/settings")).get("value"))
                .isEqualTo(JSON.readTree("{}"));
        assertThat(curator.getChildren().forPath("/herald/config")).containsExactlyInAnyOrder("apps", "global");

        assertThat(defaultTree.createIfAbsent()).isFalse();

        Stat demoAfter = curator.checkExists().forPath("/herald/config/apps/demo");
        assertThat(demoAfter.getMzxid()).isEqualTo(demoBefore.getMzxid());
        asAdmin().get().uri("/admin/v1/config").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.path == 'apps/demo')].version").isEqualTo(0)
                .jsonPath("$[?(@.path == 'global/settings')].version").isEqualTo(0)
                .jsonPath("$[?(@.path == 'global/blacklist-ips')]").exists();
    }

    @Test
    void serversStartingTogetherSeedExactlyOnce() throws Exception {
        String root = "/race/herald";
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> seeders = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                        return new DefaultTree(curator, root, new DocumentCodec(), Clock.systemUTC()).createIfAbsent();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }))
                .toList();
        start.countDown();
        List<Boolean> created = seeders.stream().map(CompletableFuture::join).toList();

        assertThat(created).containsOnlyOnce(true);
        assertThat(curator.checkExists().forPath(root + "/config/apps/demo").getVersion()).isZero();
        assertThat(curator.getChildren().forPath(root + "/config/global"))
                .containsExactlyInAnyOrder("blacklist-ips", "settings");
    }

    @Test
    void apiDocsListTheOperationsAndTheBearerScheme() {
        // The first request builds the description, loading many classes: seconds, more on a busy machine.
        web.mutate().responseTimeout(SLOW_FIRST_REQUEST).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.info.title").isEqualTo("Herald Config Admin API")
                .jsonPath("$.paths['/admin/v1/config'].get.operationId").isEqualTo("listConfigNodes")
                .jsonPath("$.paths['/admin/v1/config/{path}'].get.operationId").isEqualTo("getConfigNode")
                .jsonPath("$.paths['/admin/v1/config/{path}'].post.operationId").isEqualTo("createConfigNode")
                .jsonPath("$.paths['/admin/v1/config/{path}'].put.operationId").isEqualTo("updateConfigNode")
                .jsonPath("$.paths['/admin/v1/config/{path}'].delete.operationId").isEqualTo("deleteConfigNode")
                .jsonPath("$.paths['/admin/v1/history/{path}'].get.operationId").isEqualTo("getConfigNodeHistory")
                .jsonPath("$.paths['/admin/v1/state/{path}'].put.operationId").isEqualTo("setConfigNodeState")
                .jsonPath("$.paths['/admin/v1/config/{path}'].put.responses['409']").exists()
                .jsonPath("$.paths['/admin/v1/config/{path}'].put.responses['401']").exists()
                .jsonPath("$.paths['/admin/v1/config/{path}'].put.responses['503']").exists()
                .jsonPath("$.paths['/admin/v1/cluster'].get.operationId").isEqualTo("getCluster")
                .jsonPath("$.paths['/admin/v1/cluster/{service}/{node}/profiles'].post.operationId").isEqualTo("captureProfile")
                .jsonPath("$.paths['/admin/v1/cluster/{service}/{node}/pools'].get.responses['503']").exists()
                // 4 config paths, 8 cluster paths
                .jsonPath("$.paths.length()").isEqualTo(12)
                .jsonPath("$.components.securitySchemes.adminToken.type").isEqualTo("http")
                .jsonPath("$.components.securitySchemes.adminToken.scheme").isEqualTo("bearer")
                .jsonPath("$.components.schemas.Problem.properties.code").exists()
                .jsonPath("$.components.schemas.UpdateNodeRequest.properties.expectedVersion").exists();
    }

    @Test
    void swaggerUiIsServedWithoutToken() {
        WebTestClient patient = web.mutate().responseTimeout(SLOW_FIRST_REQUEST).build();
        String location = patient.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .expectBody().returnResult().getResponseHeaders().getLocation().toString();
        patient.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui"));
    }

    @Test
    void healthIncludesZooKeeperAndReadinessDependsOnIt() {
        // Polled like a probe would: on a CI machine under heavy load one health answer has been seen to
        // take over 30 s (cause not found yet; see docs/operations.md, known issues).
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> management(Duration.ofSeconds(20))
                .get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper.details.connectString").isEqualTo(ZooKeeperServerExtension.connectString())
                .jsonPath("$.components.zookeeper.details.embedded").isEqualTo(false));
        management().get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.zookeeper.status").isEqualTo("UP");
        management().get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.zookeeper").doesNotExist();
    }

    @Test
    void prometheusMetricsAreServed() {
        management().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("jvm_memory_used_bytes"));
    }

    @Test
    void theConfigServerListsItselfInTheClusterAndCountsItsZooKeeperSession() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(instances.list("config-server"))
                .extracting(ClusterInstance::managementPort).containsExactly(managementPort));
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound().expectBody().returnResult();
        management().get().uri("/actuator/pools").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.service").isEqualTo("config-server")
                // Beside it, the ops console's "management" pool (HTTP to the instances' management ports).
                .jsonPath("$.pools[?(@.pool == 'zookeeper')].created").isEqualTo(1)
                .jsonPath("$.pools[?(@.pool == 'zookeeper')].active").isEqualTo(1)
                .jsonPath("$.pools[?(@.pool == 'management')].kind").isEqualTo("http");
    }
}
