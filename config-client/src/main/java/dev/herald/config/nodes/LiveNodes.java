package dev.herald.config.nodes;

import java.util.Set;
import org.springframework.context.SmartLifecycle;

/**
 * The access nodes of a service's cell that are alive now: from ZooKeeper discovery when it is configured
 * ({@link DiscoveredLiveNodes}), otherwise from the Redis heartbeats in {@code h:nodes}
 * ({@link HeartbeatLiveNodes}). A service declares the one it needs with {@code @ConditionalOnZooKeeper} /
 * {@code @ConditionalOnNoZooKeeper}; nothing here is auto-configured.
 */
public interface LiveNodes {

    /**
     * Lifecycle phase of every live node source: started before and stopped after what reads the set (a
     * dispatcher's intake consumer, a chatroom's sequencer and sweeper).
     */
    int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;

    /** The current set; a cheap read, made for every batch. */
    Set<String> current();

    /** Whether {@link #current()} can be trusted now (loaded, and its source reachable): nothing is purged otherwise. */
    boolean trustworthy();
}
