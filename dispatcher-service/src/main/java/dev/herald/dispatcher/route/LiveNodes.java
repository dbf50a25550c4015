package dev.herald.dispatcher.route;

import java.util.Set;

/**
 * The access nodes of this dispatcher's cell that are alive now: from ZooKeeper discovery when it is
 * configured ({@link DiscoveredLiveNodes}), otherwise from the Redis heartbeats in {@code h:nodes}
 * ({@link HeartbeatLiveNodes}). Routes to other nodes count as offline; broadcasts go to these only.
 */
public interface LiveNodes {

    /** Started before and stopped after the intake consumer, which needs the live node set. */
    int PHASE = RouteTable.PHASE;

    /** The current set; a cheap read, called for every batch. */
    Set<String> current();
}
