package dev.herald.access.room;

import dev.herald.core.limit.LeanTokenBucket;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.EncodedRoomMessage;
import dev.herald.core.room.RoomRef;
import java.util.ArrayList;
import java.util.List;

/**
 * One connection's membership of one room on this node. Its mutable state (joining or in, the newest
 * {@code roomSeq} written, the messages held while the join completes, the send allowance) is touched on the
 * connection's event loop only.
 *
 * <p>The seq guard makes delivery exactly once and in order per member: a message is written only if its
 * {@code roomSeq} is above the last one written, so a redelivery (sequencer restart) or a message also read
 * from the history is dropped.
 */
final class RoomMember {

    /** Live messages held at most while the join's Redis round runs; more means the member is dropped. */
    static final int MAX_HELD = 10_000;

    final RoomRef room;
    final String deviceId;
    final DeviceConnection connection;
    private final LeanTokenBucket allowance;
    private boolean joining = true;
    private boolean removed;
    private long lastSeq;
    private List<EncodedRoomMessage> held;

    RoomMember(RoomRef room, String deviceId, DeviceConnection connection, LeanTokenBucket allowance) {
        this.room = room;
        this.deviceId = deviceId;
        this.connection = connection;
        this.allowance = allowance;
    }

    boolean joining() {
        return joining;
    }

    boolean removed() {
        return removed;
    }

    long lastSeq() {
        return lastSeq;
    }

    LeanTokenBucket allowance() {
        return allowance;
    }

    /** Writes a live message (or holds it while joining); takes its own reference. Returns whether written. */
    boolean deliver(EncodedRoomMessage message) {
        if (removed || message.roomSeq() <= lastSeq) {
            return false;
        }
        if (joining) {
            if (held == null) {
                held = new ArrayList<>();
            }
            if (held.size() < MAX_HELD) {
                held.add(message.retain());
            }
            return false;
        }
        connection.writeRoom(message);
        lastSeq = message.roomSeq();
        return true;
    }

    /**
     * The join is recorded: from now on messages are written as they come. History has been written by the
     * caller; {@code writtenUpTo} is the newest seq it covers (or the room's seq at the join). Held messages after
     * it follow. Returns how many held messages were written.
     */
    int joined(long writtenUpTo) {
        joining = false;
        lastSeq = Math.max(lastSeq, writtenUpTo);
        int written = 0;
        if (held != null) {
            for (EncodedRoomMessage message : held) {
                try {
                    if (message.roomSeq() > lastSeq) {
                        connection.writeRoom(message);
                        lastSeq = message.roomSeq();
                        written++;
                    }
                } finally {
                    message.release();
                }
            }
            held = null;
        }
        return written;
    }

    /** No more deliveries; releases what is held. */
    void remove() {
        removed = true;
        if (held != null) {
            held.forEach(EncodedRoomMessage::release);
            held = null;
        }
    }

    @Override
    public String toString() {
        return "RoomMember[" + room + " " + deviceId + "]";
    }
}
