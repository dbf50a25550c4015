package dev.herald.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisClusterTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Test
    void everyMasterIsOkKnowsTheOthersAndServesAThirdOfTheSlots() {
        assertThat(cluster.masters()).hasSize(3);
        assertThat(cluster.nodes()).isEqualTo(cluster.ports().stream().map(p -> "127.0.0.1:" + p)
                .reduce((a, b) -> a + "," + b).orElseThrow());
        for (int port : cluster.ports()) {
            String info = RedisWire.call(port, "CLUSTER", "INFO");
            assertThat(info).contains("cluster_state:ok", "cluster_known_nodes:3", "cluster_size:3",
                    "cluster_slots_assigned:16384");
            assertThat(RedisWire.call(port, "CLUSTER", "COUNTKEYSINSLOT", "0")).isEqualTo("0");
        }
    }

    @Test
    void aKeyIsWrittenOnTheMasterOfItsSlotAndTheOthersRedirectThere() {
        Set<Integer> owners = new HashSet<>();
        for (String tag : List.of("a", "b", "c", "d", "e", "f", "g", "h")) {
            String key = "t:{" + tag + "}";
            int owner = -1;
            for (int port : cluster.ports()) {
                try {
                    assertThat(RedisWire.call(port, "SET", key, "v")).isEqualTo("OK");
                    assertThat(owner).as("only one master takes %s", key).isEqualTo(-1);
                    owner = port;
                } catch (RedisWire.RedisError e) {
                    assertThat(e.reply()).startsWith("MOVED ");
                }
            }
            assertThat(owner).as("a master takes %s", key).isPositive();
            for (int port : cluster.ports()) {
                if (port != owner) {
                    int redirected = owner;
                    assertThatThrownBy(() -> RedisWire.call(port, "GET", key))
                            .isInstanceOfSatisfying(RedisWire.RedisError.class,
                                    e -> assertThat(e.reply()).endsWith(" 127.0.0.1:" + redirected));
                }
            }
            owners.add(owner);
        }
        // Eight tags over three even slot ranges: each master holds some (checked, not assumed, for these tags).
        assertThat(owners).containsExactlyInAnyOrderElementsOf(cluster.ports());
    }

    @Test
    void aCommandOnKeysOfTwoSlotsIsRefusedWithCrossslot() {
        int port = cluster.ports().get(0);
        assertThatThrownBy(() -> RedisWire.call(port, "MSET", "t:{a}:1", "x", "t:{b}:1", "y"))
                .isInstanceOfSatisfying(RedisWire.RedisError.class, e -> assertThat(e.reply()).startsWith("CROSSSLOT"));
    }

    /**
     * What makes the cluster-backed end-to-end suite a guard for "no script touches keys of two slots": Redis
     * refuses such a script both when its KEYS mix slots and when it reaches a key it did not declare.
     */
    @Test
    void aScriptThatTouchesKeysOfTwoSlotsIsRefused() {
        String script = "redis.call('SET', KEYS[1], 'x') return redis.call('SET', KEYS[2], 'y')";
        assertThatThrownBy(() -> onOwnerOf("t:{a}:1", "EVAL", script, "2", "t:{a}:1", "t:{b}:1"))
                .isInstanceOfSatisfying(RedisWire.RedisError.class, e -> assertThat(e.reply()).startsWith("CROSSSLOT"));

        String undeclared = "redis.call('SET', KEYS[1], 'x') return redis.call('SET', 't:{b}:1', 'y')";
        assertThatThrownBy(() -> onOwnerOf("t:{a}:1", "EVAL", undeclared, "1", "t:{a}:1"))
                .isInstanceOfSatisfying(RedisWire.RedisError.class, e -> assertThat(e.reply()).contains("Script attempted to access"));

        String sameTag = "redis.call('SET', KEYS[1], 'x') return redis.call('SET', KEYS[2], 'y')";
        assertThat(onOwnerOf("t:{a}:1", "EVAL", sameTag, "2", "t:{a}:1", "t:{a}:2")).isEqualTo("OK");
    }

    /** Runs a command on the master that serves {@code key}, following the MOVED answers of the others. */
    private static String onOwnerOf(String key, String... command) {
        for (int port : cluster.ports()) {
            try {
                RedisWire.call(port, "EXISTS", key);
            } catch (RedisWire.RedisError moved) {
                continue;
            }
            return RedisWire.call(port, command);
        }
        throw new AssertionError("no master serves " + key);
    }

    @Test
    void closeStopsEveryMaster() {
        List<Integer> ports;
        try (RedisCluster another = RedisCluster.start()) {
            ports = another.ports();
            assertThat(ports).doesNotContainAnyElementsOf(cluster.ports());
        }
        for (int port : ports) {
            assertThat(accepts(port)).as("port %d after close", port).isFalse();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
