package dev.herald.chatroom.membership;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.config.nodes.DiscoveredLiveNodes;
import dev.herald.config.nodes.HeartbeatLiveNodes;
import dev.herald.config.nodes.LiveNodes;
import dev.herald.config.zookeeper.ConditionalOnNoZooKeeper;
import dev.herald.config.zookeeper.ConditionalOnZooKeeper;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The chatroom's {@link LiveNodes}: the access nodes registered in discovery for its cell when ZooKeeper is
 * configured, otherwise those with a heartbeat in {@code h:nodes} within {@code node-liveness} (the dispatcher's
 * rule). No departure grace: {@code purge-grace} already waits before a dead node's members are removed.
 */
@Configuration(proxyBeanMethods = false)
class LiveNodesConfiguration {

    @Bean
    @ConditionalOnZooKeeper
    DiscoveredLiveNodes discoveredLiveNodes(ZooKeeperClient zooKeeper, ChatroomProperties properties) {
        return new DiscoveredLiveNodes(zooKeeper, properties.cell(), Duration.ZERO);
    }

    @Bean
    @ConditionalOnNoZooKeeper
    HeartbeatLiveNodes heartbeatLiveNodes(ReactiveStringRedisTemplate redis, ChatroomProperties properties) {
        return new HeartbeatLiveNodes(redis, properties.nodeLiveness());
    }
}
