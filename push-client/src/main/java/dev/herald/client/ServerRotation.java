package dev.herald.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The access nodes a client tries in turn (round robin): a node that failed an attempt or lost the
 * connection may be gone for good, and any node serves any device. Moved on the event loop, read from any thread.
 */
final class ServerRotation {

    private final List<InetSocketAddress> servers;
    private volatile int index;

    ServerRotation(List<InetSocketAddress> servers) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is required");
        }
        this.servers = List.copyOf(servers);
    }

    /** The node of the current connection, or of the next attempt while disconnected. */
    InetSocketAddress current() {
        return servers.get(index);
    }

    /** Moves on to the next node, after the last back to the first, and returns it. */
    InetSocketAddress next() {
        index = (index + 1) % servers.size();
        return current();
    }

    static String describe(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
