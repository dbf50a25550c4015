package dev.herald.config.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterInstancesTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant STARTED = Instant.parse("2026-11-25T10:00:00.123Z");

    private ZooKeeperClient reader;
    private ClusterInstances instances;

    private static ZooKeeperClient session() {
        return new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(), ZooKeeperExtension.ROOT,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    private static InstanceRegistration registration(ZooKeeperClient session) {
        return new InstanceRegistration(session.curator(), ZooKeeperExtension.ROOT, Duration.ofSeconds(2));
    }

    @BeforeEach
    void open() {
        ZK.clear();
        reader = session();
        instances = new ClusterInstances(reader.curator(), ZooKeeperExtension.ROOT);
    }

    @AfterEach
    void close() {
        reader.close();
    }

    @Test
    void anInstanceIsAnEphemeralZnodeWithItsJsonAndLeavesWithItsSession() throws Exception {
        ZooKeeperClient api = session();
        ZooKeeperClient access = session();
        try {
            ClusterInstance apiInstance = new ClusterInstance("push-api", "api-1", "default", "10.0.0.5", 8080, 9080, STARTED);
            assertThat(registration(api).register(apiInstance)).isTrue();
            assertThat(registration(access).register(
                    new ClusterInstance("access-service", "access-1", "eu", "10.0.0.6", 8084, 9084, STARTED))).isTrue();

            String path = ZooKeeperExtension.ROOT + "/instances/push-api/api-1";
            String data = await().atMost(WAIT).until(() -> ZK.read(path), Objects::nonNull);
            assertThat(data).isEqualTo("{\"service\":\"push-api\",\"node\":\"api-1\",\"cell\":\"default\",\"host\":\"10.0.0.5\","
                    + "\"port\":8080,\"managementPort\":9080,\"startedAt\":\"2026-11-25T10:00:00.123Z\"}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(instances.list()).extracting(ClusterInstance::node)
                    .containsExactly("access-1", "api-1"));
            assertThat(instances.list("push-api")).containsExactly(apiInstance);

            api.close();

            await().atMost(WAIT).untilAsserted(() -> assertThat(instances.list()).extracting(ClusterInstance::node)
                    .containsExactly("access-1"));
            assertThat(instances.list("push-api")).isEmpty();
        } finally {
            api.close();
            access.close();
        }
    }

    @Test
    void unregisteringRemovesTheZnodeAtOnceAndAMalformedOneIsSkipped() throws Exception {
        ZooKeeperClient session = session();
        try {
            InstanceRegistration registration = registration(session);
            registration.register(new ClusterInstance("saver-service", "saver-1", "default", "h", 8083, 9083, STARTED));
            ZK.client().create().creatingParentsIfNeeded()
                    .forPath(ZooKeeperExtension.ROOT + "/instances/saver-service/junk", "not json".getBytes());
            await().atMost(WAIT).untilAsserted(() -> assertThat(instances.list("saver-service"))
                    .extracting(ClusterInstance::node).containsExactly("saver-1"));

            registration.unregister();

            assertThat(ZK.read(ZooKeeperExtension.ROOT + "/instances/saver-service/saver-1")).isNull();
            assertThat(registration.registered()).isEmpty();
            await().atMost(WAIT).untilAsserted(() -> assertThat(instances.list("saver-service")).isEmpty());
        } finally {
            session.close();
        }
    }

    @Test
    void theListingIsEmptyBeforeAnythingRegistered() throws Exception {
        assertThat(instances.list()).isEmpty();
        assertThat(instances.list("push-api")).isEmpty();
    }
}
