package dev.herald.access.delivery;

import dev.herald.protocol.MessageId;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The broadcasts this node most recently wrote live, with their app and sequence, so that a device's ACK
 * of one can be recognised without asking anybody: one entry per broadcast (not per connection), at most
 * {@link #CAPACITY}, the oldest forgotten first. An ACK of a broadcast not found here takes the general
 * path through the saver.
 */
@Component
public final class RecentBroadcasts {

    static final int CAPACITY = 4_096;

    /** A broadcast of {@code appId} at position {@code seq} of the app's broadcast log (0: online-only, not logged). */
    public record Broadcast(String appId, long seq) {
    }

    private final ConcurrentHashMap<MessageId, Broadcast> byId = new ConcurrentHashMap<>();
    private final MessageId[] ring = new MessageId[CAPACITY];
    private int next;

    /** Called by the delivery thread; synchronized all the same, the ring is its only state. */
    synchronized void written(MessageId id, String appId, long seq) {
        if (byId.putIfAbsent(id, new Broadcast(appId, seq)) != null) {
            return;
        }
        MessageId oldest = ring[next];
        if (oldest != null) {
            byId.remove(oldest);
        }
        ring[next] = id;
        next = (next + 1) % CAPACITY;
    }

    /** The broadcast {@code id}, or {@code null} when it is not one this node wrote recently. */
    public Broadcast find(MessageId id) {
        return byId.get(id);
    }
}
