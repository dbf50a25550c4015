package dev.herald.client;

import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a PUSH on an accepted connection does. Delivery is at-least-once, so an id still in the dedup
 * window is only acknowledged again (the server did not get, or lost, the first ACK); any other push goes
 * to the listener, moves its app's broadcast cursor and, with auto-ACK, is acknowledged in the read's
 * batch. A push the listener threw on is neither remembered nor acknowledged, so it comes again.
 * Confined to the event loop, but for the duplicate count.
 */
final class PushReceiver {

    private final GuardedListener listener;
    private final RecentIds recentIds;
    private final BroadcastCursors cursors;
    private final boolean autoAck;
    private final AtomicLong duplicatesDropped = new AtomicLong();

    PushReceiver(GuardedListener listener, RecentIds recentIds, BroadcastCursors cursors, boolean autoAck) {
        this.listener = listener;
        this.recentIds = recentIds;
        this.cursors = cursors;
        this.autoAck = autoAck;
    }

    void receive(Frame.Push push, AckBatch acks) {
        MessageId id = push.messageId();
        if (recentIds.contains(id)) {
            // Seen and handled before: the server did not get (or lost) our ACK. Confirm again, quietly.
            duplicatesDropped.incrementAndGet();
            acks.add(id);
            return;
        }
        PushMessage message = new PushMessage(id, push.appId(), push.broadcastSeq(), push.broadcast(), push.replay(), push.payload());
        if (!listener.push(message)) {
            return;
        }
        recentIds.add(id);
        boolean cursorMoved = push.broadcast() && cursors.advance(push.appId(), push.broadcastSeq());
        if (autoAck) {
            acks.add(id);
            if (cursorMoved) {
                acks.cursor(push.appId(), push.broadcastSeq());
            }
        }
    }

    /** Pushes that were redeliveries within the dedup window, acknowledged without calling the listener. */
    long duplicatesDropped() {
        return duplicatesDropped.get();
    }
}
