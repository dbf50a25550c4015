package dev.herald.access;

import dev.herald.protocol.MessageId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node wrote each of its most recent live messages, so that an ACK can be timed against it:
 * one entry per message (a broadcast to 10⁵ connections is one entry), at most {@link #CAPACITY}, the
 * oldest forgotten first. An ACK for a message not found (a replayed one, or one written long ago) is
 * simply not timed. Nothing here is per connection.
 */
final class RecentPushes {

    static final int CAPACITY = 16_384;

    private final ConcurrentHashMap<MessageId, Long> writtenAt = new ConcurrentHashMap<>();
    private final MessageId[] ring = new MessageId[CAPACITY];
    private int next;

    /** Called by the delivery thread; synchronized all the same, the ring is its only state. */
    synchronized void written(MessageId id, long nanoTime) {
        MessageId oldest = ring[next];
        if (oldest != null) {
            writtenAt.remove(oldest);
        }
        ring[next] = id;
        next = (next + 1) % CAPACITY;
        writtenAt.put(id, nanoTime);
    }

    /** When {@code id} was written, or {@code null} when it is not one of the recent live messages. */
    Long writtenAt(MessageId id) {
        return writtenAt.get(id);
    }
}
