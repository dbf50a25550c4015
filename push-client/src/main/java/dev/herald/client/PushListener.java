package dev.herald.client;

import dev.herald.protocol.ErrorCode;

/**
 * Receives what happens on a {@link PushClient}'s connection. Every method has a no-op default.
 *
 * <p>All methods are called on the client's Netty event loop thread, one at a time and in order. They
 * must not block: a slow listener delays every connection that shares the event loop. Hand long work to
 * an executor of your own. An exception thrown by a method is logged and does not close the connection;
 * one thrown by {@link #onPush} leaves that message unacknowledged.
 */
public interface PushListener {

    /**
     * A message arrived. With auto-ACK on (the default) it is acknowledged when this method returns
     * normally; a message seen before (same id, within the dedup window) is acknowledged again but not
     * passed here a second time.
     */
    default void onPush(PushMessage message) {
    }

    /** The server accepted the CONNECT (CONNACK OK), on the first connect and after every reconnect. */
    default void onConnected() {
    }

    /**
     * The connection ended, or the server refused it.
     *
     * @param reason  the code of the server's DISCONNECT or refusing CONNACK, {@link ErrorCode#CLIENT_DISCONNECT}
     *                after {@link PushClient#close()}, {@link ErrorCode#HEARTBEAT_TIMEOUT} when the server fell
     *                silent; {@code null} when the connection just closed without a reason
     * @param message a human-readable explanation, never {@code null}
     */
    default void onDisconnected(ErrorCode reason, String message) {
    }

    /**
     * A message of a joined room arrived. Each message arrives once per room membership and in the room's order
     * (increasing {@link RoomMessage#roomSeq()}); the client drops a redelivery it has seen (after a rejoin).
     */
    default void onRoomMessage(RoomMessage message) {
    }

    /**
     * The server removed this device from a room ({@code reason} {@link ErrorCode#ROOM_KICKED}: the app kicked it);
     * the client does not join it again by itself.
     */
    default void onRoomRemoved(String appId, String roomId, ErrorCode reason) {
    }

    /** The server answered a frame with an ERROR frame; the connection stays open. */
    default void onError(ErrorCode code, String message) {
    }
}
