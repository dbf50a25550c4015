package dev.herald.dispatcher.route;

import dev.herald.config.ConditionalOnZooKeeper;
import dev.herald.config.LiveAccessNodes;
import dev.herald.config.ZooKeeperClient;
import dev.herald.dispatcher.DispatcherProperties;
import java.util.Set;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Live nodes with ZooKeeper: the access nodes registered in discovery as {@code access.<cell>} for this
 * dispatcher's cell. A node whose ZooKeeper session expires (crash, partition) leaves the set: it gets
 * no more commands and its devices count as offline, so offline-flagged messages are stored for them.
 * While the dispatcher's own connection is down the set stays as last seen.
 */
@Component
@ConditionalOnZooKeeper
public final class DiscoveredLiveNodes implements LiveNodes, SmartLifecycle {

    private final LiveAccessNodes nodes;
    private volatile boolean running;

    public DiscoveredLiveNodes(ZooKeeperClient zooKeeper, DispatcherProperties properties) {
        this.nodes = new LiveAccessNodes(zooKeeper, properties.cell());
    }

    @Override
    public Set<String> current() {
        return nodes.nodeIds();
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
        return PHASE;
    }
}
