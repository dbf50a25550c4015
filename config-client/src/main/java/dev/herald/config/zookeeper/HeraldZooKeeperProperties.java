package dev.herald.config.zookeeper;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where a service finds ZooKeeper ({@code herald.zookeeper.*}). An empty {@code connect-string}, the
 * default, switches every ZooKeeper feature off: the service then runs on static configuration.
 *
 * @param connectString     ZooKeeper ensemble, e.g. {@code zk1:2181,zk2:2181}; empty = ZooKeeper off
 * @param root              the Herald tree: config under {@code <root>/config}, discovery under
 *                          {@code <root>/services}, the cluster listing under {@code <root>/instances}
 * @param sessionTimeout    a service whose session expires (crash, partition) disappears from discovery
 *                          after this long
 * @param connectionTimeout bound on one connection attempt, and on the wait for the first snapshot at
 *                          start-up (the service starts anyway, reporting DOWN until it has one)
 * @param shutdownTimeout   bound on each ZooKeeper step of shutdown (deregistration, closing the client),
 *                          so a service stops even when ZooKeeper is gone
 */
@ConfigurationProperties("herald.zookeeper")
public record HeraldZooKeeperProperties(
        @DefaultValue("") String connectString,
        @DefaultValue("/herald") String root,
        @DefaultValue("PT15S") Duration sessionTimeout,
        @DefaultValue("PT5S") Duration connectionTimeout,
        @DefaultValue("PT5S") Duration shutdownTimeout) {

    public static final String CONNECT_STRING = "herald.zookeeper.connect-string";

    public HeraldZooKeeperProperties {
        connectString = connectString == null ? "" : connectString.trim();
        if (root == null || !root.matches("(/[A-Za-z0-9._-]+)+")) {
            throw new IllegalArgumentException("herald.zookeeper.root must be an absolute ZooKeeper path without a "
                    + "trailing slash, e.g. /herald: " + root);
        }
        requirePositive("session-timeout", sessionTimeout);
        requirePositive("connection-timeout", connectionTimeout);
        requirePositive("shutdown-timeout", shutdownTimeout);
    }

    public boolean enabled() {
        return !connectString.isEmpty();
    }

    /** Parent of the config nodes: {@code <root>/config}. */
    public String configPath() {
        return root + "/config";
    }

    /** Base path of service discovery: {@code <root>/services}. */
    public String servicesPath() {
        return root + "/services";
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.toMillis() < 1) {
            throw new IllegalArgumentException("herald.zookeeper." + name + " must be at least 1ms: " + value);
        }
    }
}
