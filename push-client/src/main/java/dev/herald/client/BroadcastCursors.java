package dev.herald.client;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each app's broadcast cursor: the highest broadcast sequence given to the listener (or the cursor the
 * builder started from), sent in every CONNECT so the server replays what came after it. Moved on the
 * event loop, read from any thread.
 */
final class BroadcastCursors {

    private final Map<String, Long> cursors = new ConcurrentHashMap<>();

    /** Every app starts at its {@code initial} cursor, 0 when it has none. */
    BroadcastCursors(Collection<String> apps, Map<String, Long> initial) {
        for (String app : apps) {
            cursors.put(app, initial.getOrDefault(app, 0L));
        }
    }

    long get(String appId) {
        return cursors.getOrDefault(appId, 0L);
    }

    /** Moves the app's cursor to {@code seq} if that is ahead of it; true when it moved. */
    boolean advance(String appId, long seq) {
        if (seq <= get(appId)) {
            return false;
        }
        cursors.put(appId, seq);
        return true;
    }
}
