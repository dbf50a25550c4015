package dev.herald.chatroom.membership;

import java.util.Set;

/**
 * The access nodes of this cell that are alive now: from ZooKeeper discovery when it is configured
 * ({@link DiscoveredLiveNodes}), otherwise from the Redis heartbeats in {@code h:nodes} ({@link HeartbeatLiveNodes}).
 */
public interface LiveNodes {

    /** The current set; a cheap read. */
    Set<String> current();

    /** Whether {@link #current()} can be trusted now (loaded, and the source reachable): no purge otherwise. */
    boolean trustworthy();
}
