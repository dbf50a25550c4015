package dev.herald.configserver.zookeeper;

import dev.herald.config.nodes.ClusterInstances;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.configserver.ConfigServerProperties;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

/**
 * The ZooKeeper connection: the ensemble (possibly embedded), one started Curator client, and the order in
 * which they are closed. The client does not wait for a connection here, so the server starts (and answers
 * 503) even while ZooKeeper is unreachable.
 */
@Configuration(proxyBeanMethods = false)
public class ZooKeeperConfiguration {

    /** Closed by {@link ZooKeeperShutdown}, after the client. */
    @Bean(destroyMethod = "")
    ZooKeeperEnsemble zooKeeperEnsemble(ConfigServerProperties properties) {
        return ZooKeeperEnsemble.of(properties);
    }

    /** Closed by {@link ZooKeeperShutdown}, with a bound. */
    @Bean(destroyMethod = "")
    CuratorFramework curator(ZooKeeperEnsemble ensemble, ConfigServerProperties properties) {
        ConfigServerProperties.ZooKeeper settings = properties.zookeeper();
        CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(ensemble.connectString())
                .sessionTimeoutMs(Math.toIntExact(settings.sessionTimeout().toMillis()))
                .connectionTimeoutMs(Math.toIntExact(settings.connectionTimeout().toMillis()))
                // A few quick retries ride out a leader election; longer outages answer 503 instead.
                .retryPolicy(new ExponentialBackoffRetry(100, 3, 1_000))
                // Folders (parents created on the way) hold no data; Curator's default would be this host's IP.
                .defaultData(new byte[0])
                .build();
        curator.start();
        return curator;
    }

    @Bean
    ZooKeeperShutdown zooKeeperShutdown(CuratorFramework curator, ZooKeeperEnsemble ensemble) {
        return new ZooKeeperShutdown(curator, ensemble);
    }

    /**
     * This config-server in the cluster listing ({@code <root>/instances/config-server/<node>}), announced by
     * ops-support; closed before the client is.
     */
    @Bean
    @DependsOn("zooKeeperShutdown")
    InstanceRegistration instanceRegistration(CuratorFramework curator, ConfigServerProperties properties) {
        return new InstanceRegistration(curator, properties.root(), properties.zookeeper().requestTimeout());
    }

    /** Every instance of every service, as they announce themselves: what the ops console lists. */
    @Bean
    ClusterInstances clusterInstances(CuratorFramework curator, ConfigServerProperties properties) {
        return new ClusterInstances(curator, properties.root());
    }
}
