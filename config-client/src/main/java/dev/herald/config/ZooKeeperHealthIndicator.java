package dev.herald.config;

import dev.herald.config.snapshot.ConfigSnapshot;
import dev.herald.config.snapshot.ConfigWatcher;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the {@code zookeeper} component: UP while connected with a configuration loaded, DOWN while
 * the connection is suspended or lost (the service keeps serving its last snapshot, which the details
 * show with its age). Meant for the readiness group only: a service without ZooKeeper is still alive.
 */
public final class ZooKeeperHealthIndicator implements HealthIndicator {

    private final ZooKeeperClient client;
    private final ConfigWatcher watcher;

    public ZooKeeperHealthIndicator(ZooKeeperClient client, ConfigWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    @Override
    public Health health() {
        boolean connected = client.connected();
        ConfigSnapshot snapshot = watcher.current();
        Health.Builder health = connected && watcher.loaded() ? Health.up() : Health.down();
        health.withDetail("connectString", client.properties().connectString())
                .withDetail("connection", client.state().name())
                .withDetail("generation", snapshot.generation());
        if (watcher.loaded()) {
            health.withDetail("snapshotBuiltAt", snapshot.builtAt().toString())
                    .withDetail("snapshotAgeMillis", Duration.between(snapshot.builtAt(), Instant.now()).toMillis())
                    .withDetail("apps", snapshot.apps().size());
        } else {
            health.withDetail("snapshot", "not loaded yet");
        }
        return health.build();
    }
}
