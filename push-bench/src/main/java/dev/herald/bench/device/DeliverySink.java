package dev.herald.bench.device;

import io.netty.buffer.ByteBuf;

/**
 * Receives what simulated devices get, from event loop threads (several at once): implementations
 * must be thread-safe and quick.
 */
public interface DeliverySink {

    /**
     * A message arrived on a device.
     *
     * @param payload the message's payload, readable only during the call (the transport releases it)
     * @param replay {@code true} when the node sent it from the offline store
     * @param receivedMicros receive time, microseconds since the epoch
     */
    void delivered(ByteBuf payload, boolean replay, long receivedMicros);

    /** A device that had logged in lost its connection (closed by the server or the network). */
    void disconnected(DeviceLogin login, String reason);
}
