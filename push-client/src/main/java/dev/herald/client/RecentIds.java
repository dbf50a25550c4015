package dev.herald.client;

import dev.herald.protocol.MessageId;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids of the last {@code capacity} messages given to the listener, to drop redeliveries (delivery
 * is at-least-once). Grows with use up to its capacity, so thousands of idle clients in one JVM (the
 * load tool) cost little. Not thread-safe: used on the client's event loop only.
 */
final class RecentIds {

    private final int capacity;
    private final ArrayDeque<MessageId> order = new ArrayDeque<>();
    private final Set<MessageId> ids = new HashSet<>();

    RecentIds(int capacity) {
        this.capacity = capacity;
    }

    boolean contains(MessageId id) {
        return ids.contains(id);
    }

    /** Remembers an id, forgetting the oldest one when full. */
    void add(MessageId id) {
        if (capacity == 0 || !ids.add(id)) {
            return;
        }
        order.addLast(id);
        if (order.size() > capacity) {
            ids.remove(order.removeFirst());
        }
    }

    int size() {
        return ids.size();
    }
}
