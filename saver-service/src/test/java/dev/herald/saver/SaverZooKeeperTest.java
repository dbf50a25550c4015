package dev.herald.saver;

import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.AccessNode;
import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.offline.OfflineApi;
import dev.herald.testsupport.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The saver with ZooKeeper: ZooKeeper joins readiness (not liveness), an outage takes the saver out of
 * readiness while it keeps answering, and the cell's live access nodes show as a gauge.
 */
class SaverZooKeeperTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(60);

    private static ConfigurableApplicationContext saver;
    private static WebTestClient web;
    private static WebTestClient management;

    @BeforeAll
    static void start() {
        saver = new SpringApplicationBuilder(SaverServiceApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                "--herald.zookeeper.connect-string=" + ZK.connectString(),
                "--herald.saver.cell=c1");
        web = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + saver.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(10))
                .defaultHeader(ServiceKey.HEADER, InternalApiProperties.DEFAULT_SERVICE_KEY)
                .build();
        management = web.mutate()
                .baseUrl("http://127.0.0.1:" + saver.getEnvironment().getProperty("local.management.port")).build();
    }

    @AfterAll
    static void stop() {
        if (saver != null) {
            saver.close();
        }
    }

    private HttpStatus status(String path) {
        return HttpStatus.valueOf(management.get().uri(path).exchange().returnResult(Void.class).getStatus().value());
    }

    @Test
    void liveAccessNodesOfTheCellAreAGauge() {
        MeterRegistry meters = saver.getBean(MeterRegistry.class);
        ZooKeeperClient session = new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(),
                ZooKeeperExtension.ROOT, Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
        try {
            new AccessNodeRegistration(session).register(new AccessNode("node-1", "c1", "10.0.0.1", 7070, 8084));
            await().atMost(WAIT).until(() -> meters.get("herald.saver.access.nodes.live").gauge().value() == 1.0);
        } finally {
            session.close();
        }
        await().atMost(WAIT).until(() -> meters.get("herald.saver.access.nodes.live").gauge().value() == 0.0);
    }

    @Test
    void aZooKeeperOutageFailsReadinessOnlyAndTheSaverKeepsAnswering() throws Exception {
        management.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");

        ZK.stop();
        try {
            // Polled like a probe: an answer that takes too long (seen on a loaded CI machine while ZooKeeper
            // stops or comes back) counts as one failed probe, not as the test's end.
            await().atMost(PROBE_WAIT).ignoreExceptions()
                    .until(() -> status("/actuator/health/readiness") == HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(status("/actuator/health/liveness")).isEqualTo(HttpStatus.OK);
            // Redis is up: the offline API answers as usual, on the last configuration.
            web.post().uri(OfflineApi.FETCH_PATH).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(new OfflineApi.FetchRequest(List.of(new OfflineApi.DeviceCursor("demo", "device-1", 0))))
                    .exchange()
                    .expectStatus().isOk();
        } finally {
            ZK.restart();
        }
        await().atMost(PROBE_WAIT).ignoreExceptions().until(() -> status("/actuator/health/readiness") == HttpStatus.OK);
    }
}
