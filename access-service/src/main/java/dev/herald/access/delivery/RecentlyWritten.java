package dev.herald.access.delivery;

import dev.herald.protocol.MessageId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Something about each of the messages this node most recently wrote live: one entry per message (a broadcast
 * to 10⁵ connections is one entry), at most {@code capacity}, the oldest forgotten first. Nothing here is per
 * connection.
 *
 * @param <V> what is kept per message
 */
public final class RecentlyWritten<V> {

    private final ConcurrentHashMap<MessageId, V> byId = new ConcurrentHashMap<>();
    private final MessageId[] ring;
    private int next;

    public RecentlyWritten(int capacity) {
        this.ring = new MessageId[capacity];
    }

    /**
     * Keeps {@code value} for {@code id}, replacing what an earlier write of it left. Called by the delivery
     * thread; synchronized all the same, the ring is its only state.
     */
    public synchronized void put(MessageId id, V value) {
        if (byId.put(id, value) != null) {
            return; // the message has its place in the ring already
        }
        MessageId oldest = ring[next];
        if (oldest != null) {
            byId.remove(oldest);
        }
        ring[next] = id;
        next = (next + 1) % ring.length;
    }

    /** What was kept for {@code id}, or {@code null} when it is not one of the recent live messages. */
    public V get(MessageId id) {
        return byId.get(id);
    }
}
