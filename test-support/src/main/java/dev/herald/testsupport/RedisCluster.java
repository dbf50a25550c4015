package dev.herald.testsupport;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Redis Cluster for tests: three masters, each a local {@code redis-server} ({@link RedisServer}) in
 * cluster mode on a free port, with a free cluster-bus port and its own data directory, no replicas. The
 * 16 384 hash slots are split in three even ranges, so keys with different hash tags land on different
 * processes and a command or script that mixes slots fails as it would in production ({@code CROSSSLOT}).
 *
 * <p>Formed the way {@code redis-cli --cluster create} does it, through the servers' own commands (distinct
 * config epochs, {@code CLUSTER ADDSLOTSRANGE}, {@code CLUSTER MEET}), so it needs nothing but the server
 * binary; {@link #start} returns once every node reports {@code cluster_state:ok} and knows all three.
 */
public final class RedisCluster implements AutoCloseable {

    static final int SLOTS = 16_384;
    private static final int MASTERS = 3;
    private static final Duration FORMED = Duration.ofSeconds(30);

    private final List<RedisServer> masters;

    private RedisCluster(List<RedisServer> masters) {
        this.masters = List.copyOf(masters);
    }

    /** Starts three masters without persistence. */
    public static RedisCluster start() {
        return start(RedisServer.Persistence.NONE);
    }

    /** Starts three masters, each writing its data directory as {@code persistence} says. */
    public static RedisCluster start(RedisServer.Persistence persistence) {
        List<RedisServer> started = new ArrayList<>();
        List<Integer> busPorts = new ArrayList<>();
        try {
            for (int i = 0; i < MASTERS; i++) {
                // Explicit, since the default (port + 10 000) may be taken or beyond 65 535.
                busPorts.add(RedisServer.freePort());
                started.add(RedisServer.start(RedisServer.freePort(), persistence, List.of(
                        "--cluster-enabled", "yes",
                        "--cluster-port", String.valueOf(busPorts.get(i)),
                        "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000")));
            }
            RedisCluster cluster = new RedisCluster(started);
            cluster.form(busPorts);
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::close);
            throw e;
        }
    }

    private void form(List<Integer> busPorts) {
        for (int i = 0; i < MASTERS; i++) {
            int port = masters.get(i).port();
            // Distinct epochs up front, so that the nodes do not first have to settle a collision.
            RedisWire.call(port, "CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1));
            RedisWire.call(port, "CLUSTER", "ADDSLOTSRANGE",
                    String.valueOf(SLOTS * i / MASTERS), String.valueOf(SLOTS * (i + 1) / MASTERS - 1));
        }
        int first = masters.get(0).port();
        for (int i = 1; i < MASTERS; i++) {
            RedisWire.call(first, "CLUSTER", "MEET", "127.0.0.1", String.valueOf(masters.get(i).port()),
                    String.valueOf(busPorts.get(i)));
        }
        awaitFormed();
    }

    private void awaitFormed() {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            await("Redis Cluster on ports " + ports() + " formed").atMost(FORMED)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).pollInSameThread()
                    .dontCatchUncaughtExceptions()
                    .until(() -> formed(last));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Redis Cluster on ports " + ports() + " not formed within " + FORMED
                    + "; last CLUSTER INFO:\n" + last.get(), e);
        }
    }

    /** Whether every node reports the cluster ok, knows all masters and has every slot; keeps the last CLUSTER INFO. */
    private boolean formed(AtomicReference<String> last) {
        boolean all = true;
        for (RedisServer node : masters) {
            String info = RedisWire.call(node.port(), "CLUSTER", "INFO");
            last.set(info);
            all &= info.contains("cluster_state:ok")
                    && info.contains("cluster_known_nodes:" + MASTERS)
                    && info.contains("cluster_slots_ok:" + SLOTS);
        }
        return all;
    }

    /** The masters, in slot order: the first serves the lowest slots. */
    public List<RedisServer> masters() {
        return masters;
    }

    public List<Integer> ports() {
        return masters.stream().map(RedisServer::port).toList();
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3}: the value of {@code spring.data.redis.cluster.nodes}. */
    public String nodes() {
        return masters.stream().map(m -> m.host() + ":" + m.port()).collect(Collectors.joining(","));
    }

    /** One {@code redis://} URI per master, for a cluster client's seed list. */
    public List<String> uris() {
        return masters.stream().map(RedisServer::url).toList();
    }

    /** Stops every master and removes its data directory. */
    @Override
    public void close() {
        masters.forEach(RedisServer::close);
    }
}
