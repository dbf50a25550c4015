package dev.herald.chatroom.membership;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.config.ConditionalOnZooKeeper;
import dev.herald.config.LiveAccessNodes;
import dev.herald.config.ZooKeeperClient;
import java.util.Set;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live nodes with ZooKeeper: the access nodes registered as {@code access.<cell>}. A node whose ZooKeeper session
 * expires (crash, partition) leaves the set, and its room members are removed after the purge grace. While this
 * service's own ZooKeeper connection is down the set is not trusted, so nothing is purged.
 */
@Component
@ConditionalOnZooKeeper
public final class DiscoveredLiveNodes implements LiveNodes, SmartLifecycle {

    private final ZooKeeperClient zooKeeper;
    private final LiveAccessNodes nodes;
    private volatile boolean running;

    public DiscoveredLiveNodes(ZooKeeperClient zooKeeper, ChatroomProperties properties) {
        this.zooKeeper = zooKeeper;
        this.nodes = new LiveAccessNodes(zooKeeper, properties.cell());
    }

    @Override
    public Set<String> current() {
        return nodes.nodeIds();
    }

    @Override
    public boolean trustworthy() {
        return running && zooKeeper.connected();
    }

    @Override
    public void start() {
        nodes.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        nodes.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 200;
    }
}
