package dev.herald.saver.cluster;

import dev.herald.config.nodes.LiveAccessNodes;
import dev.herald.config.zookeeper.ConditionalOnZooKeeper;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.saver.SaverProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * With ZooKeeper, the number of access nodes registered in this saver's cell, as the gauge
 * {@code herald.saver.access.nodes.live}. Information only: the saver answers whoever calls it and routes
 * nothing, so the live set changes none of its behaviour.
 */
@Component
@ConditionalOnZooKeeper
public final class LiveNodesGauge implements SmartLifecycle {

    private final LiveAccessNodes nodes;
    private volatile boolean running;

    public LiveNodesGauge(ZooKeeperClient zooKeeper, SaverProperties properties, MeterRegistry meters) {
        this.nodes = new LiveAccessNodes(zooKeeper, properties.cell());
        Gauge.builder("herald.saver.access.nodes.live", nodes, live -> live.nodeIds().size())
                .description("Access nodes registered in discovery for this saver's cell")
                .tag("cell", properties.cell())
                .register(meters);
    }

    public LiveAccessNodes nodes() {
        return nodes;
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
}
