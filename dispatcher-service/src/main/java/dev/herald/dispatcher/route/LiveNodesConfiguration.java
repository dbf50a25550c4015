package dev.herald.dispatcher.route;

import dev.herald.config.nodes.DiscoveredLiveNodes;
import dev.herald.config.nodes.HeartbeatLiveNodes;
import dev.herald.config.nodes.LiveNodes;
import dev.herald.config.zookeeper.ConditionalOnNoZooKeeper;
import dev.herald.config.zookeeper.ConditionalOnZooKeeper;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.dispatcher.DispatcherProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The dispatcher's {@link LiveNodes}: the access nodes registered in discovery for its cell when ZooKeeper is
 * configured, kept {@code node-departure-grace} after they leave; otherwise every node with a heartbeat in
 * {@code h:nodes} within {@code node-liveness}.
 */
@Configuration(proxyBeanMethods = false)
class LiveNodesConfiguration {

    @Bean
    @ConditionalOnZooKeeper
    DiscoveredLiveNodes discoveredLiveNodes(ZooKeeperClient zooKeeper, DispatcherProperties properties) {
        return new DiscoveredLiveNodes(zooKeeper, properties.cell(), properties.nodeDepartureGrace());
    }

    @Bean
    @ConditionalOnNoZooKeeper
    HeartbeatLiveNodes heartbeatLiveNodes(ReactiveStringRedisTemplate redis, DispatcherProperties properties) {
        return new HeartbeatLiveNodes(redis, properties.nodeLiveness());
    }
}
