package dev.herald.access.mqtt;

import dev.herald.access.session.EncodedPush;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The QoS 1 pushes of one MQTT connection that wait for a free packet id, in the order they came,
 * bounded by count and by payload bytes. When a push does not fit, the oldest online-only pushes make
 * room for it; if they are not enough (the queue holds mostly stored pushes, or the push alone is
 * larger than the bound), the push is not queued: an online-only one is dropped, a stored one is left
 * to the device's backlog. A stored push is never pushed out: the saver keeps it for the device, but a
 * connection that took it and then lost it would have nothing to say so.
 *
 * <p>Holds one reference of each queued push. Created only when the window is full, and used on the
 * connection's event loop only.
 */
final class PublishQueue {

    /** What became of an offered push. */
    enum Offer {
        /** Queued (possibly after older online-only pushes were dropped to make room). */
        QUEUED,
        /** Online-only and no room: lost for this device. */
        DROPPED,
        /** Stored and no room: not queued; it stays in the device's backlog. */
        LEFT_TO_BACKLOG
    }

    private final int maxMessages;
    private final long maxBytes;
    private final ArrayDeque<EncodedPush> pushes = new ArrayDeque<>();
    private long bytes;
    private int onlineOnly;
    private long onlineOnlyBytes;

    PublishQueue(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues {@code push} if it fits, taking its own reference; older online-only pushes dropped to make
     * room are handed to {@code dropped} and released afterwards.
     */
    Offer offer(EncodedPush push, Consumer<EncodedPush> dropped) {
        long size = size(push);
        // Only stored pushes stay: if the push does not fit beside them, it is not queued and nothing is dropped.
        if (pushes.size() - onlineOnly + 1 > maxMessages || bytes - onlineOnlyBytes + size > maxBytes) {
            return push.stored() ? Offer.LEFT_TO_BACKLOG : Offer.DROPPED;
        }
        Iterator<EncodedPush> oldestFirst = pushes.iterator();
        while (pushes.size() + 1 > maxMessages || bytes + size > maxBytes) {
            EncodedPush queued = oldestFirst.next();
            if (!queued.stored()) {
                oldestFirst.remove();
                forget(queued);
                try {
                    dropped.accept(queued);
                } finally {
                    queued.release();
                }
            }
        }
        pushes.addLast(push.retain());
        bytes += size;
        if (!push.stored()) {
            onlineOnly++;
            onlineOnlyBytes += size;
        }
        return Offer.QUEUED;
    }

    /** The oldest push, whose reference passes to the caller; {@code null} when empty. */
    EncodedPush poll() {
        EncodedPush push = pushes.pollFirst();
        if (push != null) {
            forget(push);
        }
        return push;
    }

    boolean isEmpty() {
        return pushes.isEmpty();
    }

    int size() {
        return pushes.size();
    }

    long bytes() {
        return bytes;
    }

    /** Empties the queue, handing each push to {@code left} and then releasing it. */
    void clear(Consumer<EncodedPush> left) {
        EncodedPush push;
        while ((push = poll()) != null) {
            try {
                left.accept(push);
            } finally {
                push.release();
            }
        }
    }

    private void forget(EncodedPush push) {
        long size = size(push);
        bytes -= size;
        if (!push.stored()) {
            onlineOnly--;
            onlineOnlyBytes -= size;
        }
    }

    private static long size(EncodedPush push) {
        return push.push().payload().length;
    }
}
