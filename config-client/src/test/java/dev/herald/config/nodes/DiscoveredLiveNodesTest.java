package dev.herald.config.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Live nodes from discovery, with and without a departure grace, against an embedded ZooKeeper. */
class DiscoveredLiveNodesTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ZooKeeperClient watching;

    private static ZooKeeperClient session() {
        return new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(), ZooKeeperExtension.ROOT,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
    }

    @BeforeEach
    void connect() {
        ZK.clear();
        watching = session();
    }

    @AfterEach
    void close() {
        watching.close();
    }

    @Test
    void withoutGraceANodeLeavesTheSetAsSoonAsItsSessionEnds() {
        ZooKeeperClient node = session();
        new AccessNodeRegistration(node).register(new AccessNode("node-a", "c1", "10.0.0.1", 7070, 0));
        DiscoveredLiveNodes live = new DiscoveredLiveNodes(watching, "c1", Duration.ZERO);
        assertThat(live.trustworthy()).isFalse();
        live.start();
        try {
            assertThat(live.current()).containsExactly("node-a");
            assertThat(live.trustworthy()).isTrue();
            assertThat(live.getPhase()).isEqualTo(LiveNodes.PHASE);

            node.close();

            await().atMost(WAIT).until(() -> live.current().isEmpty());
            assertThat(live.departing()).isEmpty();
        } finally {
            live.stop();
        }
        assertThat(live.trustworthy()).isFalse();
    }

    @Test
    void withAGraceANodeThatLeavesStaysLiveUntilTheGraceEndsUnlessItRegistersAgain() {
        ZooKeeperClient first = session();
        new AccessNodeRegistration(first).register(new AccessNode("node-a", "c1", "10.0.0.1", 7070, 0));
        new AccessNodeRegistration(first).register(new AccessNode("node-b", "c1", "10.0.0.2", 7070, 0));
        DiscoveredLiveNodes live = new DiscoveredLiveNodes(watching, "c1", Duration.ofSeconds(2));
        live.start();
        ZooKeeperClient second = session();
        try {
            assertThat(live.current()).containsExactlyInAnyOrder("node-a", "node-b");

            first.close();

            await().atMost(WAIT).until(() -> live.departing().size() == 2);
            assertThat(live.current()).containsExactlyInAnyOrder("node-a", "node-b");
            new AccessNodeRegistration(second).register(new AccessNode("node-b", "c1", "10.0.0.2", 7070, 0));
            await().atMost(WAIT).until(() -> !live.departing().contains("node-b"));

            await().atMost(WAIT).until(() -> !live.current().contains("node-a"));
            assertThat(live.current()).containsExactly("node-b");
            assertThat(live.departing()).isEmpty();
        } finally {
            live.stop();
            second.close();
        }
    }
}
