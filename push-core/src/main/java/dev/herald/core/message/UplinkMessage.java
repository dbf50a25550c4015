package dev.herald.core.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message a device sent to its app, appended by the access node to the cell's uplink stream
 * ({@code RedisKeys.uplink(cell)}) before the device gets its acknowledgement; the dispatcher's callback
 * worker delivers it to the app's callback URL.
 *
 * @param id         message id assigned by the access node (26-character text form of
 *                   {@code dev.herald.protocol.MessageId}), echoed to the device in UPLINK_ACK
 * @param payload    the device's bytes, owned by the record: callers must not modify the array
 * @param receivedAt epoch milliseconds at which the access node accepted it
 * @param nodeId     the access node that accepted it
 */
public record UplinkMessage(
        String id,
        String appId,
        String deviceId,
        byte[] payload,
        long receivedAt,
        String nodeId) {

    public UplinkMessage {
        payload = payload == null ? new byte[0] : payload;
    }

    // A record compares arrays by identity; two uplinks with equal bytes are the same message.
    @Override
    public boolean equals(Object o) {
        return o instanceof UplinkMessage m
                && receivedAt == m.receivedAt
                && Objects.equals(id, m.id)
                && Objects.equals(appId, m.appId)
                && Objects.equals(deviceId, m.deviceId)
                && Objects.equals(nodeId, m.nodeId)
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(id, appId, deviceId, receivedAt, nodeId) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "UplinkMessage[id=" + id + ", appId=" + appId + ", deviceId=" + deviceId + ", payload="
                + payload.length + " bytes, receivedAt=" + receivedAt + ", nodeId=" + nodeId + "]";
    }
}
