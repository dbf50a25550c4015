package dev.herald.config.zookeeper;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one ZooKeeper session: a started {@link CuratorFramework} and its connection state.
 * Curator reconnects on its own (a new session if the old one expired); {@link #close()} is bounded by
 * {@code shutdown-timeout}, since closing a session blocks while ZooKeeper is unreachable.
 */
public final class ZooKeeperClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperClient.class);

    private final HeraldZooKeeperProperties properties;
    private final CuratorFramework curator;
    private volatile ConnectionState state = ConnectionState.SUSPENDED;

    public ZooKeeperClient(HeraldZooKeeperProperties properties) {
        if (!properties.enabled()) {
            throw new IllegalArgumentException(HeraldZooKeeperProperties.CONNECT_STRING + " is not set");
        }
        this.properties = properties;
        this.curator = CuratorFrameworkFactory.builder()
                .connectString(properties.connectString())
                .sessionTimeoutMs((int) properties.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) properties.connectionTimeout().toMillis())
                // Bounds one operation while disconnected; the connection itself is retried forever.
                .retryPolicy(new ExponentialBackoffRetry(200, 3, 2_000))
                .waitForShutdownTimeoutMs((int) properties.shutdownTimeout().toMillis())
                .build();
        curator.getConnectionStateListenable().addListener((client, newState) -> {
            ConnectionState previous = state;
            state = newState;
            if (newState == ConnectionState.LOST) {
                log.warn("ZooKeeper session lost ({}); serving the last configuration until it is back",
                        properties.connectString());
            } else if (newState == ConnectionState.SUSPENDED) {
                log.warn("ZooKeeper connection suspended ({}); serving the last configuration",
                        properties.connectString());
            } else if (previous != newState) {
                log.info("ZooKeeper {} ({})", newState.name().toLowerCase(Locale.ROOT),
                        properties.connectString());
            }
        });
        curator.start();
    }

    public CuratorFramework curator() {
        return curator;
    }

    public HeraldZooKeeperProperties properties() {
        return properties;
    }

    /** The last connection state Curator reported (SUSPENDED until the first connection). */
    public ConnectionState state() {
        return state;
    }

    public boolean connected() {
        return state.isConnected() && curator.getZookeeperClient().isConnected();
    }

    /** Waits for the first connection at most {@code connection-timeout}; returns whether it came. */
    boolean awaitConnected() {
        try {
            return curator.blockUntilConnected((int) properties.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        BoundedCall.run("close the session", properties.shutdownTimeout(), log, curator::close);
    }
}
