package dev.herald.client;

import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message pushed to this device.
 *
 * @param id           unique id; the same message delivered twice carries the same id
 * @param appId        the app that sent it
 * @param broadcastSeq position in the app's broadcast log, or 0 for a message to this device only
 * @param broadcast    sent to every device of the app
 * @param replay       kept by the server while the device was offline and delivered on (re)connect
 * @param payload      the bytes the app server sent; owned by the message, do not modify
 */
public record PushMessage(MessageId id, String appId, long broadcastSeq, boolean broadcast, boolean replay, byte[] payload) {

    /** The payload decoded as UTF-8. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    // A record compares arrays by identity; two messages with equal bytes are equal.
    @Override
    public boolean equals(Object o) {
        return o instanceof PushMessage m
                && broadcastSeq == m.broadcastSeq
                && broadcast == m.broadcast
                && replay == m.replay
                && Objects.equals(id, m.id)
                && Objects.equals(appId, m.appId)
                && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(id, appId, broadcastSeq, broadcast, replay) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "PushMessage[id=" + id + ", appId=" + appId + ", broadcastSeq=" + broadcastSeq + ", broadcast=" + broadcast
                + ", replay=" + replay + ", payload=" + (payload == null ? "null" : payload.length + " bytes") + "]";
    }
}
