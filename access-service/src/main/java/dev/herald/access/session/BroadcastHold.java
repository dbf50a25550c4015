package dev.herald.access.session;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps a device's broadcasts in sequence order while its backlog is replayed, and every push behind its
 * CONNACK. From the moment a connection asks for its backlog until the replay is written, live broadcasts
 * that carry a sequence (the offline-flagged ones) are held back and written right after the replay, minus
 * those the replay already contained. Before that, from registration until the CONNACK is written (the
 * CONNACK waits for the device's routes), every live push is held, since nothing may precede the CONNACK;
 * the CONNACK releases all but the sequenced broadcasts, which wait for the replay if one is in flight.
 *
 * <p>Why: a broadcast cursor means "every broadcast up to here". A device that reconnects and receives
 * a newer live broadcast before the replay of an older one acknowledges the newer sequence; if that
 * acknowledgement reaches the saver before the backlog is read, the saver leaves the older broadcast
 * out of the replay, and the live path had sent it before the device was here: it is lost for good.
 * The fault suite found exactly this when an access node was killed and its devices reconnected
 * elsewhere in one wave. Unicasts are acknowledged by id, not by cursor, and are never held.
 *
 * <p>At most {@value #MAX_HELD} broadcasts are held per connection; beyond that the replay is hopelessly
 * late, and the connection is closed with {@link ErrorCode#INTERNAL_ERROR} so that the device connects
 * again and gets everything from the backlog. Held pushes are shared, pre-encoded buffers: holding one
 * costs a reference. The hold lives in the connection's {@link ConnectionDeadlines} watch only while a
 * CONNACK or a replay is pending, and is touched on the channel's event loop only.
 */
public final class BroadcastHold {

    static final int MAX_HELD = 1000;

    private final List<EncodedPush> held = new ArrayList<>(2);
    private final Set<MessageId> replayed = new HashSet<>();
    private int replaysInFlight;
    private boolean beforeConnAck;

    private BroadcastHold() {
    }

    /**
     * Holds every live push of a connection whose CONNACK is not written yet, until {@link #connAcked}. Call
     * on the connection's event loop before the connection is registered (and so can be pushed to).
     */
    static void untilConnAck(DeviceConnection connection) {
        Channel channel = connection.channel();
        BroadcastHold hold = ConnectionDeadlines.hold(channel);
        if (hold == null) {
            hold = new BroadcastHold();
            ConnectionDeadlines.hold(channel, hold);
        }
        hold.beforeConnAck = true;
    }

    /**
     * Starts holding for the backlog of {@code apps} apps that is about to be fetched. Call on the
     * connection's event loop, before the connection can see any live push it should not see first.
     */
    public static void start(DeviceConnection connection, int apps) {
        Channel channel = connection.channel();
        BroadcastHold hold = ConnectionDeadlines.hold(channel);
        if (hold == null) {
            hold = new BroadcastHold();
            ConnectionDeadlines.hold(channel, hold);
        }
        hold.replaysInFlight += apps;
    }

    /**
     * For a live push about to be written to {@code connection}, on its event loop: whether it was held
     * (or, past the limit, the connection closed) instead, in which case the caller must not write it. The
     * hold takes its own reference of a held push.
     */
    public static boolean holds(DeviceConnection connection, EncodedPush push) {
        BroadcastHold hold = ConnectionDeadlines.hold(connection.channel());
        if (hold == null || !(hold.beforeConnAck || sequenced(push))) {
            return false;
        }
        if (hold.held.size() >= MAX_HELD) {
            discard(connection.channel());
            connection.disconnect(ErrorCode.INTERNAL_ERROR, "the stored messages came too late; connect again");
            return true;
        }
        hold.held.add(push.retain());
        return true;
    }

    /**
     * The replay of {@code apps} apps' backlogs has been written to {@code connection}, including the pushes
     * {@code written}. Once no replay is in flight, writes what was held (not flushed) and ends the hold.
     * Call on the connection's event loop.
     *
     * @return how many held pushes were written
     */
    public static int replayed(DeviceConnection connection, Collection<MessageId> written, int apps) {
        Channel channel = connection.channel();
        BroadcastHold hold = ConnectionDeadlines.hold(channel);
        if (hold == null) {
            return 0;
        }
        hold.replayed.addAll(written);
        hold.replaysInFlight -= apps;
        if (hold.replaysInFlight > 0 || hold.beforeConnAck) {
            return 0;
        }
        ConnectionDeadlines.hold(channel, null);
        return write(connection, hold.held, hold.replayed);
    }

    /**
     * The connection's CONNACK has been written: writes (not flushed) the pushes held before it, except, while
     * a replay is in flight, the sequenced broadcasts, which keep waiting for it; with no replay in flight the
     * hold ends. Call on the connection's event loop.
     *
     * @return how many held pushes were written
     */
    public static int connAcked(DeviceConnection connection) {
        Channel channel = connection.channel();
        BroadcastHold hold = ConnectionDeadlines.hold(channel);
        if (hold == null) {
            return 0;
        }
        hold.beforeConnAck = false;
        if (hold.replaysInFlight <= 0) {
            ConnectionDeadlines.hold(channel, null);
            return write(connection, hold.held, hold.replayed);
        }
        List<EncodedPush> due = new ArrayList<>(hold.held.size());
        hold.held.removeIf(push -> !sequenced(push) && due.add(push));
        return write(connection, due, hold.replayed);
    }

    /** A broadcast with a sequence: one that cursors count, so order matters. */
    private static boolean sequenced(EncodedPush push) {
        Frame.Push frame = push.push();
        return frame.broadcast() && frame.broadcastSeq() != 0;
    }

    /** Writes {@code pushes} but those in {@code replayed}, releasing every one of them. */
    private static int write(DeviceConnection connection, List<EncodedPush> pushes, Set<MessageId> replayed) {
        int count = 0;
        for (EncodedPush push : pushes) {
            try {
                if (connection.channel().isActive() && !replayed.contains(push.push().messageId())
                        && connection.write(push)) {
                    count++;
                }
            } finally {
                push.release();
            }
        }
        return count;
    }

    /** Drops what a closing connection held. Call on its event loop; harmless without a hold. */
    public static void discard(Channel channel) {
        BroadcastHold hold = ConnectionDeadlines.hold(channel);
        if (hold == null) {
            return;
        }
        ConnectionDeadlines.hold(channel, null);
        hold.held.forEach(EncodedPush::release);
        hold.held.clear();
    }
}
