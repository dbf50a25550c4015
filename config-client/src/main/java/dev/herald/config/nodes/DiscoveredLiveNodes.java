package dev.herald.config.nodes;

import dev.herald.config.zookeeper.ZooKeeperClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * Live nodes with ZooKeeper: the access nodes registered in discovery as {@code access.<cell>}. A node whose
 * ZooKeeper session expires (crash, partition) leaves the set once {@code departureGrace} has passed without it
 * registering again. The grace covers a node whose session expired in a ZooKeeper outage and that re-registers a
 * moment after it: the fault suite saw such a node missing for 23 ms, and a dispatcher stored unicasts to its
 * connected devices in that window instead of delivering them. A zero grace drops a node at once. While this
 * service's own ZooKeeper connection is down the set stays as last seen and is not {@link #trustworthy()}.
 */
public final class DiscoveredLiveNodes implements LiveNodes, SmartLifecycle {

    private final ZooKeeperClient zooKeeper;
    private final LiveAccessNodes nodes;
    private final long graceNanos;
    /** Nodes that left discovery, with the time ({@link System#nanoTime()}) their grace ends. */
    private final Map<String, Long> departed = new ConcurrentHashMap<>();
    private volatile Set<String> registered = Set.of();
    private volatile boolean running;

    public DiscoveredLiveNodes(ZooKeeperClient zooKeeper, String cell, Duration departureGrace) {
        this.zooKeeper = zooKeeper;
        this.nodes = new LiveAccessNodes(zooKeeper, cell);
        this.graceNanos = departureGrace.toNanos();
    }

    @Override
    public Set<String> current() {
        Set<String> live = nodes.nodeIds();
        if (departed.isEmpty()) {
            return live;
        }
        long now = System.nanoTime();
        Set<String> withGrace = new HashSet<>(live);
        departed.forEach((node, until) -> {
            if (now - until < 0) {
                withGrace.add(node);
            } else {
                departed.remove(node, until);
            }
        });
        return withGrace;
    }

    /** Nodes that left discovery and still count as live: their grace has not ended yet. */
    public Set<String> departing() {
        long now = System.nanoTime();
        Set<String> inGrace = new HashSet<>();
        departed.forEach((node, until) -> {
            if (now - until < 0) {
                inGrace.add(node);
            }
        });
        return inGrace;
    }

    @Override
    public boolean trustworthy() {
        return running && zooKeeper.connected();
    }

    @Override
    public void start() {
        nodes.subscribe(this::changed);
        nodes.start();
        registered = Set.copyOf(nodes.nodeIds());
        running = true;
    }

    private synchronized void changed(Set<String> now) {
        long until = System.nanoTime() + graceNanos;
        for (String node : registered) {
            if (!now.contains(node) && graceNanos > 0) {
                departed.put(node, until);
            }
        }
        now.forEach(departed::remove);
        registered = Set.copyOf(now);
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
