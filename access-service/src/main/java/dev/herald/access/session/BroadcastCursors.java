package dev.herald.access.session;

import java.util.Arrays;
import java.util.List;

/**
 * How far one connection acknowledged each of its apps' broadcast logs, and how much of that the saver
 * has been told. Created with the connection's first folded broadcast ACK (see
 * {@link dev.herald.access.offline.AckForwarder}); used only on the connection's event loop.
 */
public final class BroadcastCursors {

    private final long[] acknowledged;
    private final long[] stored;
    /** Per app, the lowest stored broadcast this connection did not deliver; {@code null} until there is one. */
    private long[] notDelivered;
    private long storedAtMillis;

    BroadcastCursors(int apps, long nowMillis) {
        this.acknowledged = new long[apps];
        this.stored = new long[apps];
        this.storedAtMillis = nowMillis;
    }

    /** The highest broadcast seq of app {@code app} (index in the session's apps) acknowledged so far. */
    public long acknowledged(int app) {
        return acknowledged[app];
    }

    /** Moves app {@code app}'s cursor forward to {@code seq}, but not onto a broadcast not delivered; never back. */
    public void acknowledge(int app, long seq) {
        seq = bounded(app, seq);
        if (seq > acknowledged[app]) {
            acknowledged[app] = seq;
        }
    }

    /**
     * The connection did not deliver app {@code app}'s stored broadcast {@code seq} (an MQTT queue had no room
     * for it): from now on its cursor stays below {@code seq}, so that the saver replays it on the next
     * connection even if later broadcasts are acknowledged on this one (they are replayed as well, and
     * dropped by id on the device).
     */
    public void notDelivered(int app, long seq) {
        if (notDelivered == null) {
            notDelivered = new long[acknowledged.length];
            Arrays.fill(notDelivered, Long.MAX_VALUE);
        }
        notDelivered[app] = Math.min(notDelivered[app], seq);
    }

    /** {@code seq}, or the highest cursor below app {@code app}'s broadcasts not delivered when it is one of them or beyond. */
    public long bounded(int app, long seq) {
        return notDelivered == null || seq < notDelivered[app] ? seq : notDelivered[app] - 1;
    }

    /** The saver knows app {@code app}'s cursor up to {@code seq} (it came with an ACK forwarded whole). */
    public void stored(int app, long seq) {
        acknowledge(app, seq);
        if (seq > stored[app]) {
            stored[app] = seq;
        }
    }

    /** Whether {@code interval} passed since the cursors were last stored. */
    public boolean storeDue(long nowMillis, long intervalMillis) {
        return nowMillis - storedAtMillis >= intervalMillis;
    }

    /**
     * Marks every cursor stored and calls {@code store} with the apps whose cursor moved since the last
     * time, with their cursor.
     */
    public void storeMoved(List<String> appIds, long nowMillis, CursorSink store) {
        storedAtMillis = nowMillis;
        for (int app = 0; app < acknowledged.length; app++) {
            if (acknowledged[app] > stored[app]) {
                stored[app] = acknowledged[app];
                store.store(appIds.get(app), acknowledged[app]);
            }
        }
    }

    /** Receives a cursor to store. */
    @FunctionalInterface
    public interface CursorSink {
        void store(String appId, long cursor);
    }
}
