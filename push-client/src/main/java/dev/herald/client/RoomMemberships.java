package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this device is in. Membership belongs to a connection on the server, so they are joined again
 * on each new one; the newest roomSeq given to the listener per room keeps a rejoin's history from being
 * passed twice. Rooms are keyed {@code app/room}.
 */
final class RoomMemberships {

    // Under PushClient's name, where the SDK's users already look for (and configure) its log.
    private static final Logger log = LoggerFactory.getLogger(PushClient.class);

    /** Rooms joined → history limit asked. Changed from any thread (join, leave) and on the event loop. */
    private final Map<String, Integer> joined = new ConcurrentHashMap<>();
    /** Newest roomSeq passed to the listener per room. Confined to the event loop. */
    private final Map<String, Long> newestSeqs = new HashMap<>();
    private final GuardedListener listener;
    private final String deviceId;

    RoomMemberships(GuardedListener listener, String deviceId) {
        this.listener = listener;
        this.deviceId = deviceId;
    }

    void joined(String appId, String roomId, int historyLimit) {
        joined.put(key(appId, roomId), historyLimit);
    }

    void left(String appId, String roomId) {
        joined.remove(key(appId, roomId));
    }

    /**
     * Joins again, on a new connection, the rooms the device was in. {@code send} sends a room request and
     * completes its future with the answer. A room whose JOIN is refused as {@link ErrorCode#ROOM_KICKED}
     * is forgotten and the listener told; another failure keeps it for the next connection.
     */
    void rejoin(BiConsumer<IntFunction<Frame>, CompletableFuture<Frame.RoomAck>> send) {
        joined.forEach((key, historyLimit) -> {
            int slash = key.indexOf('/');
            String appId = key.substring(0, slash);
            String roomId = key.substring(slash + 1);
            CompletableFuture<Frame.RoomAck> answer = new CompletableFuture<>();
            send.accept(seq -> new Frame.RoomJoin(seq, appId, roomId, historyLimit), answer);
            answer.whenComplete((ack, error) -> {
                if (error instanceof PushClientException e && e.code() == ErrorCode.ROOM_KICKED) {
                    joined.remove(key);
                    listener.call(l -> l.onRoomRemoved(appId, roomId, ErrorCode.ROOM_KICKED));
                } else if (error != null) {
                    log.debug("device {} could not join room {} again: {}", deviceId, key, error.toString());
                }
            });
        });
    }

    /** A ROOM_MESSAGE on an accepted connection: passed on unless the listener had it already. */
    void message(Frame.RoomMessage frame) {
        String key = key(frame.appId(), frame.roomId());
        Long last = newestSeqs.get(key);
        if (last != null && frame.roomSeq() <= last) {
            return;
        }
        newestSeqs.put(key, frame.roomSeq());
        RoomMessage message = new RoomMessage(frame.messageId(), frame.appId(), frame.roomId(), frame.roomSeq(),
                frame.senderId(), frame.sentAt(), frame.history(), frame.payload());
        listener.call(l -> l.onRoomMessage(message));
    }

    /** The server removed the device from a room (kicked, the room closed). */
    void removed(String appId, String roomId, ErrorCode reason) {
        joined.remove(key(appId, roomId));
        listener.call(l -> l.onRoomRemoved(appId, roomId, reason));
    }

    private static String key(String appId, String roomId) {
        return appId + "/" + roomId;
    }
}
