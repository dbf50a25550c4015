package dev.herald.config;

import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.config.nodes.DiscoveredLiveNodes;
import dev.herald.config.nodes.HeartbeatLiveNodes;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.config.nodes.LiveAccessNodes;
import dev.herald.config.nodes.LiveNodes;
import dev.herald.config.snapshot.ConfigSnapshot;
import dev.herald.config.snapshot.ConfigWatcher;
import dev.herald.config.snapshot.SnapshotAppDirectory;
import dev.herald.config.snapshot.SnapshotIpBlacklist;
import dev.herald.config.zookeeper.ConditionalOnZooKeeper;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.app.IpBlacklist;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * ZooKeeper-backed configuration and discovery, active only when {@code herald.zookeeper.connect-string}
 * is set: one session ({@link ZooKeeperClient}, also exposed as {@link CuratorFramework}), the watched
 * {@link ConfigSnapshot}, an {@link AppDirectory} and an {@link IpBlacklist} over it (both
 * {@code @Primary} over static ones), the {@code zookeeper} health indicator in the readiness group,
 * {@link AccessNodeRegistration} for access nodes, and the cluster listing ({@link InstanceRegistration}
 * of this instance, {@link ClusterInstances} to read everyone's). Services that route to access nodes declare
 * their own {@link LiveNodes} for their cell ({@link DiscoveredLiveNodes} here, {@link HeartbeatLiveNodes}
 * without ZooKeeper); the saver counts {@link LiveAccessNodes}.
 */
@AutoConfiguration
@ConditionalOnZooKeeper
@EnableConfigurationProperties(HeraldZooKeeperProperties.class)
public class ZooKeeperAutoConfiguration {

    @Bean
    ZooKeeperClient heraldZooKeeperClient(HeraldZooKeeperProperties properties) {
        return new ZooKeeperClient(properties);
    }

    /** The session for services' own recipes; closed (bounded) with {@link ZooKeeperClient}, not here. */
    @Bean(destroyMethod = "")
    CuratorFramework heraldCuratorFramework(ZooKeeperClient client) {
        return client.curator();
    }

    @Bean
    ConfigWatcher heraldConfigWatcher(ZooKeeperClient client, HeraldZooKeeperProperties properties) {
        ConfigWatcher watcher = new ConfigWatcher(client.curator(), properties);
        watcher.start(properties.connectionTimeout());
        return watcher;
    }

    @Bean
    @Primary
    SnapshotAppDirectory zooKeeperAppDirectory(ConfigWatcher watcher) {
        return new SnapshotAppDirectory(watcher);
    }

    @Bean
    @Primary
    SnapshotIpBlacklist zooKeeperIpBlacklist(ConfigWatcher watcher) {
        return new SnapshotIpBlacklist(watcher);
    }

    @Bean
    AccessNodeRegistration accessNodeRegistration(ZooKeeperClient client) {
        return new AccessNodeRegistration(client);
    }

    /** Registered by ops-support once the service's ports are known; removed (bounded) on close. */
    @Bean
    InstanceRegistration instanceRegistration(ZooKeeperClient client, HeraldZooKeeperProperties properties) {
        return new InstanceRegistration(client.curator(), properties.root(), properties.shutdownTimeout());
    }

    @Bean
    ClusterInstances clusterInstances(ZooKeeperClient client, HeraldZooKeeperProperties properties) {
        return new ClusterInstances(client.curator(), properties.root());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SecurityContext")
    static class Health {

        /** Named so that the component is {@code zookeeper}. */
        @Bean
        @ConditionalOnEnabledHealthIndicator("zookeeper")
        ZooKeeperHealthIndicator zookeeperHealthIndicator(ZooKeeperClient client, ConfigWatcher watcher) {
            return new ZooKeeperHealthIndicator(client, watcher);
        }

        @Bean
        @ConditionalOnEnabledHealthIndicator("zookeeper")
        HealthEndpointGroupsPostProcessor readinessIncludesZooKeeper() {
            return new ReadinessIncludesZooKeeper();
        }
    }
}
