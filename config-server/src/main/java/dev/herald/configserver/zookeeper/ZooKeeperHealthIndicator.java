package dev.herald.configserver.zookeeper;

import dev.herald.configserver.ConfigServerProperties;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code zookeeper}: UP while the Curator client holds a connection. Part of the readiness
 * group, not liveness: without ZooKeeper the admin API answers 503, but restarting would not help.
 */
@Component("zookeeperHealthIndicator")
public final class ZooKeeperHealthIndicator extends AbstractHealthIndicator {

    private final CuratorFramework curator;
    private final ZooKeeperEnsemble ensemble;
    private final String root;

    public ZooKeeperHealthIndicator(CuratorFramework curator, ZooKeeperEnsemble ensemble,
            ConfigServerProperties properties) {
        super("ZooKeeper health check failed");
        this.curator = curator;
        this.ensemble = ensemble;
        this.root = properties.root();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean connected = curator.getZookeeperClient().isConnected();
        (connected ? builder.up() : builder.down())
                .withDetail("connectString", ensemble.connectString())
                .withDetail("embedded", ensemble.embedded())
                .withDetail("root", root)
                .withDetail("state", curator.getState().name());
        if (!connected) {
            builder.withDetail("error", "not connected to ZooKeeper");
        }
    }
}
