package dev.herald.access.delivery;

import dev.herald.protocol.MessageId;
import org.springframework.stereotype.Component;

/**
 * The broadcasts this node most recently wrote live, with their app and sequence, so that a device's ACK
 * of one can be recognised without asking anybody. An ACK of a broadcast not found here takes the general
 * path through the saver.
 */
@Component
public final class RecentBroadcasts {

    static final int CAPACITY = 4_096;

    /** A broadcast of {@code appId} at position {@code seq} of the app's broadcast log (0: online-only, not logged). */
    public record Broadcast(String appId, long seq) {
    }

    private final RecentlyWritten<Broadcast> written = new RecentlyWritten<>(CAPACITY);

    void written(MessageId id, String appId, long seq) {
        written.put(id, new Broadcast(appId, seq));
    }

    /** The broadcast {@code id}, or {@code null} when it is not one this node wrote recently. */
    public Broadcast find(MessageId id) {
        return written.get(id);
    }
}
