package dev.herald.core.message;

import java.util.List;

/**
 * A message accepted by push-api and appended to the cell's intake stream; the dispatcher's input.
 *
 * @param id        message id (26-character text form of {@code dev.herald.protocol.MessageId})
 * @param devices   target devices; empty for a broadcast
 * @param offline   store for devices that are offline (true) or deliver to online devices only
 * @param expiresAt epoch milliseconds after which the message must not be delivered
 */
public record IntakeMessage(
        String id,
        String appId,
        TargetKind kind,
        List<String> devices,
        byte[] payload,
        boolean offline,
        long createdAt,
        long expiresAt) {

    public IntakeMessage {
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
