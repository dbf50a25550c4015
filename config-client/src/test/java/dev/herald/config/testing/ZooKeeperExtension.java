package dev.herald.config.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper (Curator {@link TestingServer}, free port) for a test class, published as the system
 * property {@code herald.zookeeper.connect-string} before any Spring context starts, plus a test client
 * that writes config nodes the way the config-server does.
 *
 * <p>Register it with class-level {@code @ExtendWith} <em>before</em> {@code @SpringBootTest} and mark
 * the class {@code @DirtiesContext}: its {@code afterAll} then runs after Spring closed the context, so
 * the application's Curator client is closed before ZooKeeper stops. The running instance is
 * {@link #running()}.
 */
public final class ZooKeeperExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String CONNECT_STRING = "herald.zookeeper.connect-string";
    public static final String ROOT = "/herald";

    private static volatile ZooKeeperExtension running;

    private TestingServer server;
    private CuratorFramework client;

    /** The extension of the test class being run. */
    public static ZooKeeperExtension running() {
        ZooKeeperExtension current = running;
        if (current == null) {
            throw new IllegalStateException("no ZooKeeperExtension is running: add @ExtendWith(ZooKeeperExtension.class)");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new TestingServer(true);
        client = CuratorFrameworkFactory.builder()
                .connectString(server.getConnectString())
                .sessionTimeoutMs(15_000)
                .connectionTimeoutMs(5_000)
                .retryPolicy(new RetryNTimes(40, 250))
                .build();
        client.start();
        if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("test ZooKeeper did not accept a connection");
        }
        System.setProperty(CONNECT_STRING, server.getConnectString());
        running = this;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        System.clearProperty(CONNECT_STRING);
        running = null;
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    public String connectString() {
        return server.getConnectString();
    }

    /** The test's own client (not the application's). */
    public CuratorFramework client() {
        return client;
    }

    /** Stops ZooKeeper, keeping its data for {@link #restart()}. */
    public void stop() throws Exception {
        server.stop();
    }

    public void restart() throws Exception {
        server.restart();
    }

    /** Creates or replaces {@code <root>/config/<path>} with an online document holding {@code valueJson}. */
    public void putConfig(String path, String valueJson) {
        putConfig(path, "online", valueJson);
    }

    public void putConfig(String path, String state, String valueJson) {
        putRaw(path, "{\"state\":\"" + state + "\",\"updatedAt\":\"2026-11-25T10:00:00Z\",\"updatedBy\":\"test\","
                + "\"value\":" + valueJson + "}");
    }

    /** Writes {@code data} as it is, e.g. a malformed document. */
    public void putRaw(String path, String data) {
        try {
            client.create().orSetData().creatingParentsIfNeeded()
                    .forPath(ROOT + "/config/" + path, data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write config node " + path, e);
        }
    }

    public void deleteConfig(String path) {
        try {
            client.delete().forPath(ROOT + "/config/" + path);
        } catch (KeeperException.NoNodeException gone) {
            // already gone
        } catch (Exception e) {
            throw new IllegalStateException("cannot delete config node " + path, e);
        }
    }

    /** Deletes the whole Herald tree ({@code /herald}), config and discovery. */
    public void clear() {
        try {
            client.delete().deletingChildrenIfNeeded().forPath(ROOT);
        } catch (KeeperException.NoNodeException gone) {
            // nothing to clear
        } catch (Exception e) {
            throw new IllegalStateException("cannot clear " + ROOT, e);
        }
    }

    /** Data of any znode, or {@code null} when it does not exist. */
    public String read(String absolutePath) {
        try {
            return new String(client.getData().forPath(absolutePath), StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + absolutePath, e);
        }
    }

    /** Children of any znode; empty when it does not exist. */
    public List<String> children(String absolutePath) {
        try {
            return client.getChildren().forPath(absolutePath);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new IllegalStateException("cannot list " + absolutePath, e);
        }
    }

    /** The value document of an app as the config-server writes it. */
    public static String appJson(String id, String key, String cell, String... secrets) {
        return appJson(id, key, cell, 0, 0, secrets);
    }

    /** The value document of an app with send limits (0 = none). */
    public static String appJson(String id, String key, String cell, long messagesPerSecond, long messagesPerDay,
                                 String... secrets) {
        String list = List.of(secrets).stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(","));
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"key\":\"" + key + "\",\"secrets\":[" + list + "],"
                + "\"cell\":\"" + cell + "\",\"limits\":{\"messagesPerSecond\":" + messagesPerSecond
                + ",\"messagesPerDay\":" + messagesPerDay + "},\"callbackUrl\":null}";
    }

    /** The value document of {@code global/blacklist-ips}. */
    public static String blacklistJson(String... entries) {
        return "{\"entries\":[" + List.of(entries).stream().map(e -> "\"" + e + "\"").collect(Collectors.joining(","))
                + "]}";
    }

    /** How long a change takes to apply at most, by the contract. */
    public static Duration applyWithin() {
        return Duration.ofSeconds(2);
    }
}
