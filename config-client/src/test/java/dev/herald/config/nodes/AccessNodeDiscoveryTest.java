package dev.herald.config.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessNodeDiscoveryTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ZooKeeperClient dispatcherSession;
    private LiveAccessNodes live;

    private static ZooKeeperClient session() {
        return new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(), ZooKeeperExtension.ROOT,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    @BeforeEach
    void watch() {
        ZK.clear();
        dispatcherSession = session();
        live = new LiveAccessNodes(dispatcherSession, "c1");
        live.start();
    }

    @AfterEach
    void close() {
        live.close();
        dispatcherSession.close();
    }

    @Test
    void registeredNodesOfTheCellAreLiveAndANodeWhoseSessionEndsDisappears() {
        ConcurrentLinkedQueue<Set<String>> changes = new ConcurrentLinkedQueue<>();
        live.subscribe(changes::add);
        ZooKeeperClient sessionA = session();
        ZooKeeperClient sessionB = session();
        ZooKeeperClient sessionOtherCell = session();
        try {
            assertThat(new AccessNodeRegistration(sessionA).register(new AccessNode("node-a", "c1", "10.0.0.1", 7070, 8084)))
                    .isTrue();
            assertThat(new AccessNodeRegistration(sessionB).register(new AccessNode("node-b", "c1", "10.0.0.2", 7071, 0)))
                    .isTrue();
            new AccessNodeRegistration(sessionOtherCell).register(new AccessNode("node-x", "c2", "10.0.0.3", 7072, 0));

            await().atMost(WAIT).untilAsserted(() -> assertThat(live.nodeIds()).containsExactlyInAnyOrder("node-a", "node-b"));
            assertThat(live.nodes().get("node-a")).isEqualTo(new AccessNode("node-a", "c1", "10.0.0.1", 7070, 8084));

            sessionA.close();

            await().atMost(WAIT).untilAsserted(() -> assertThat(live.nodeIds()).containsExactly("node-b"));
            assertThat(changes).contains(Set.of("node-b"));
        } finally {
            sessionB.close();
            sessionOtherCell.close();
        }
    }

    @Test
    void registrationIsAnEphemeralZnodeInCuratorsLayoutWithAPlainPayload() {
        ZooKeeperClient session = session();
        try {
            AccessNodeRegistration registration = new AccessNodeRegistration(session);
            registration.register(new AccessNode("node-j", "c1", "10.0.0.9", 7070, 8084));

            String path = ZooKeeperExtension.ROOT + "/services/access.c1/node-j";
            // ZooKeeper orders reads per session only: this test's own session may lag the registering one.
            String data = await().atMost(WAIT).until(() -> ZK.read(path), java.util.Objects::nonNull);
            assertThat(data).contains("\"name\":\"access.c1\"", "\"id\":\"node-j\"", "\"address\":\"10.0.0.9\"",
                    "\"port\":7070", "\"payload\":{\"nodeId\":\"node-j\",\"cell\":\"c1\",\"httpPort\":8084}",
                    "\"serviceType\":\"DYNAMIC\"");
            assertThat(data).doesNotContain("@class");
            await().atMost(WAIT).until(() -> live.nodeIds().contains("node-j"));

            registration.unregister();

            assertThat(ZK.read(path)).isNull();
            await().atMost(WAIT).until(() -> !live.nodeIds().contains("node-j"));
            assertThat(registration.registered()).isEmpty();
        } finally {
            session.close();
        }
    }

    @Test
    void aNodeRegisteredBeforeTheWatcherStartsIsLiveAtOnce() {
        ZooKeeperClient session = session();
        LiveAccessNodes late = new LiveAccessNodes(dispatcherSession, "c3");
        try {
            new AccessNodeRegistration(session).register(new AccessNode("node-early", "c3", "10.0.0.4", 7070, 0));

            late.start();

            assertThat(late.nodeIds()).containsExactly("node-early");
        } finally {
            late.close();
            session.close();
        }
    }
}
