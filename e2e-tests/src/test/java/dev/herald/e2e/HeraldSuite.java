package dev.herald.e2e;

import dev.herald.testsupport.RedisCluster;
import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.ServiceProcess;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The whole suite as real processes: a real ZooKeeper (Curator's TestingServer), one redis-server (append-only
 * file fsynced on every write, as docs/reliability.md recommends), the
 * config-server (which seeds the config tree), saver, dispatcher, two access nodes, the chatroom-service and push-api, each
 * started from its executable jar on free ports. Apps come from ZooKeeper, as in production. Started once per test run and shared
 * by every end-to-end test class (devices use unique ids, so tests do not see each other's traffic);
 * stopped when the run ends.
 *
 * <p>A test class annotated {@link OnRedisCluster} gets the same suite on a three-master Redis Cluster
 * instead ({@link RedisCluster}, each master with the same append-only file; the services are given
 * {@code spring.data.redis.cluster.nodes}). At most one suite runs at a time: asking for the other kind
 * stops the running one first (the build runs the cluster classes in a surefire execution of their own, so
 * that happens at most once).
 */
public final class HeraldSuite implements BeforeAllCallback, AutoCloseable {

    static final String APP = "demo";
    static final String APP_KEY = "demo-key";
    static final String APP_SECRET = "demo-secret-0123456789";
    static final String OTHER_APP = "other";
    static final String OTHER_KEY = "other-key";
    static final String OTHER_SECRET = "other-secret-0123456789";
    // Generous: on a 2-core CI machine under load a service has needed 87 s to become ready.
    static final Duration READY = Duration.ofSeconds(180);
    static final String ADMIN_TOKEN = "e2e-admin-token-0123456789";

    private static HeraldSuite running;

    private final boolean onCluster;
    TestingServer zookeeper;
    /** The suite's Redis; {@code null} on a cluster-backed suite. */
    RedisServer redis;
    /** The suite's Redis Cluster; {@code null} on a single-server suite. */
    RedisCluster redisCluster;
    ServiceProcess configServer;
    ServiceProcess saver;
    ServiceProcess dispatcher;
    ServiceProcess access1;
    ServiceProcess access2;
    ServiceProcess chatroom;
    ServiceProcess api;
    int access1Port;
    int access2Port;
    String saverUrl;

    /** For JUnit ({@code @ExtendWith}); the suite itself is made in {@link #beforeAll}. */
    public HeraldSuite() {
        this(false);
    }

    private HeraldSuite(boolean onCluster) {
        this.onCluster = onCluster;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean cluster = AnnotationSupport.isAnnotated(context.getRequiredTestClass(), OnRedisCluster.class);
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
        synchronized (HeraldSuite.class) {
            if (running != null && running.onCluster != cluster) {
                // Two suites at once would not fit a 2-core machine: the other kind goes first.
                store.remove(HeraldSuite.class);
                running.close();
                running = null;
            }
            if (running == null) {
                HeraldSuite suite = new HeraldSuite(cluster);
                try {
                    suite.start();
                } catch (RuntimeException e) {
                    suite.close();
                    throw e;
                }
                running = suite;
                // Closed by JUnit when the whole run ends (the root store closes AutoCloseable values).
                store.put(HeraldSuite.class, suite);
            }
        }
    }

    static HeraldSuite get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(HeraldSuite.class)");
        }
        return running;
    }

    private void start() {
        try {
            zookeeper = new TestingServer(true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start ZooKeeper", e);
        }
        // The persistence docs/reliability.md recommends: the fault suite kills this Redis and counts on it.
        if (onCluster) {
            redisCluster = RedisCluster.start(RedisServer.Persistence.AOF_ALWAYS);
        } else {
            redis = RedisServer.start(RedisServer.Persistence.AOF_ALWAYS);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "herald-suite-stop"));

        // Also the services' ZooKeeper setting, as herald.sh and docker-compose give it to every service alike.
        configServer = ServiceProcess.launch("config-server", "config-server", RedisServer.freePort(), List.of(
                "--herald.config-server.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--herald.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--herald.config-server.admin-token=" + ADMIN_TOKEN)).awaitReady(READY);
        // The config-server seeded the demo app; the second app comes through the admin API like any other.
        ConfigAdmin admin = admin();
        admin.createApp(OTHER_APP, OTHER_KEY, OTHER_SECRET, "default");

        int saverPort = RedisServer.freePort();
        saverUrl = "http://127.0.0.1:" + saverPort;
        saver = ServiceProcess.launch("saver", "saver-service", saverPort, common());
        dispatcher = launchDispatcher("dispatcher", "default");
        access1Port = RedisServer.freePort();
        access2Port = RedisServer.freePort();
        access1 = launchAccess("access-1", "default", access1Port);
        access2 = launchAccess("access-2", "default", access2Port);
        chatroom = ServiceProcess.launch("chatroom", "chatroom-service", RedisServer.freePort(), common());
        api = ServiceProcess.launch("push-api", "push-api", RedisServer.freePort(),
                concat(common(), List.of("--herald.api.chatroom-url=" + chatroom.baseUrl())));

        CompletableFuture.allOf(ready(saver), ready(dispatcher), ready(access1), ready(access2), ready(chatroom),
                ready(api)).join();
    }

    /** Arguments every service gets: Redis, ZooKeeper, debug logging of Herald's own code. */
    List<String> common() {
        return concat(redisArgs(), List.of(
                "--herald.zookeeper.connect-string=" + zookeeper.getConnectString(),
                "--logging.level.dev.herald=DEBUG"));
    }

    /** Where the services find Redis: one server, or the cluster's seed nodes (Lettuce learns the slot map from them). */
    private List<String> redisArgs() {
        if (onCluster) {
            return List.of("--spring.data.redis.cluster.nodes=" + redisCluster.nodes());
        }
        return List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redis.port());
    }

    /** A new Lettuce client of the suite's Redis (cluster-aware on a cluster); the caller shuts it down. */
    AbstractRedisClient newRedisClient() {
        if (onCluster) {
            return RedisClusterClient.create(redisCluster.uris().stream().map(RedisURI::create).toList());
        }
        return RedisClient.create(redis.url());
    }

    boolean onCluster() {
        return onCluster;
    }

    /** Starts (without waiting) one more dispatcher for a cell. */
    ServiceProcess launchDispatcher(String name, String cell) {
        return ServiceProcess.launch(name, "dispatcher-service", RedisServer.freePort(),
                concat(common(), List.of("--herald.dispatcher.cell=" + cell,
                        // Fast retries so a failing callback reaches the dead-letter list within seconds.
                        "--herald.dispatcher.uplink.initial-backoff=PT0.2S",
                        "--herald.dispatcher.uplink.max-backoff=PT0.5S",
                        "--herald.dispatcher.uplink.max-attempts=3",
                        "--herald.dispatcher.consumer-name=" + name)));
    }

    /** Starts (without waiting) one more access node of a cell on the given native port. */
    ServiceProcess launchAccess(String nodeId, String cell, int port) {
        return launchAccess(nodeId, cell, port, List.of());
    }

    /**
     * Starts (without waiting) an access node; {@code extra} may shorten its ZooKeeper session so that a
     * killed node leaves discovery within seconds (the shared nodes keep the default 15 s, which a loaded
     * CI machine's pauses never reach).
     */
    ServiceProcess launchAccess(String nodeId, String cell, int port, List<String> extra) {
        return ServiceProcess.launch(nodeId, "access-service", RedisServer.freePort(),
                concat(common(), accessArgs(nodeId, port, saverUrl), List.of("--herald.access.cell=" + cell), extra));
    }

    /** The services of the delivery path (every one uses Redis and ZooKeeper); not the config-server. */
    List<ServiceProcess> deliveryServices() {
        return List.of(api, dispatcher, saver, access1, access2);
    }

    ConfigAdmin admin() {
        return new ConfigAdmin(configServer.baseUrl(), ADMIN_TOKEN);
    }

    private static List<String> accessArgs(String nodeId, int port, String saverUrl) {
        return List.of("--herald.access.node-id=" + nodeId,
                "--herald.access.host=127.0.0.1",
                "--herald.access.port=" + port,
                "--herald.access.saver-url=" + saverUrl);
    }

    static CompletableFuture<ServiceProcess> ready(ServiceProcess p) {
        return CompletableFuture.supplyAsync(() -> p.awaitReady(READY));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    @Override
    public synchronized void close() {
        for (ServiceProcess p : new ServiceProcess[] {api, chatroom, access1, access2, dispatcher, saver, configServer}) {
            if (p != null) {
                p.stop();
            }
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
        if (redisCluster != null) {
            redisCluster.close();
            redisCluster = null;
        }
        if (zookeeper != null) {
            try {
                zookeeper.close();
            } catch (java.io.IOException e) {
                // best effort at the end of the run
            }
            zookeeper = null;
        }
    }
}
