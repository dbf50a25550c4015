package dev.herald.core.message;

import java.util.List;

/**
 * What the dispatcher sends to one access node: deliver one message to some of its local connections.
 * A broadcast is one command per node with {@code devices} empty, never one per device.
 *
 * @param broadcastSeq position in the app's broadcast log, 0 for unicasts and online-only broadcasts
 * @param devices      the node's target devices; empty for a broadcast to every local device of the app
 */
public record DeliveryCommand(
        String messageId,
        String appId,
        boolean broadcast,
        long broadcastSeq,
        List<String> devices,
        byte[] payload,
        long expiresAt) {

    public DeliveryCommand {
        devices = devices == null ? List.of() : List.copyOf(devices);
    }
}
