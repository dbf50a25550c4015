package dev.herald.access.session;

import dev.herald.protocol.ErrorCode;
import io.netty.channel.Channel;

/**
 * A device's connection as the session logic sees it, whatever transport carries it (native TCP,
 * WebSocket, MQTT): something a push can be written to and that can be ended with a reason. Every
 * method is called on the channel's event loop, except {@link #disconnect}, which may be called from
 * anywhere.
 */
public interface DeviceConnection {

    Channel channel();

    /**
     * {@code native}, {@code websocket} or {@code mqtt}: the {@code protocol} tag of the connection gauge.
     * Asked when the session opens and when it closes, while the channel's pipeline is whole.
     */
    String protocol();

    /**
     * Queues {@code push} on the channel without flushing it. The connection takes its own reference
     * of any shared buffer it writes; the caller keeps (and releases) its own.
     *
     * @return whether the push was written, or queued to be (an MQTT connection skips it without a matching
     *         subscription, or when its queue behind the QoS 1 window has no room)
     */
    boolean write(EncodedPush push);

    /**
     * Queues a room message without flushing; the connection takes its own reference of the shared buffer.
     * Transports without rooms (MQTT, for now) write nothing.
     *
     * @return whether it was written
     */
    default boolean writeRoom(EncodedRoomMessage message) {
        return false;
    }

    /** Tells the device why, as far as the transport can, and closes the connection. */
    void disconnect(ErrorCode code, String message);
}
