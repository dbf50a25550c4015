package dev.herald.core.message;

import java.util.List;

/**
 * What the dispatcher sends to one access node: deliver one message to some of its local connections.
 * A broadcast is one command per node with {@code devices} empty, never one per device.
 *
 * @param broadcastSeq position in the app's broadcast log, 0 for unicasts and online-only broadcasts
 * @param devices      the node's target devices; empty for a broadcast to every local device of the app
 * @param offline      whether the message is offline-flagged, so the saver holds it until each device
 *                     acknowledges it: a node that cannot write it now may leave it to the backlog, where an
 *                     online-only one is dropped and counted. Boxed so that a command without it (from an
 *                     older dispatcher) still reads, as {@code false} (Jackson refuses a missing primitive): at
 *                     worst a stored push is counted as dropped, and still comes from the backlog
 */
public record DeliveryCommand(
        String messageId,
        String appId,
        boolean broadcast,
        long broadcastSeq,
        List<String> devices,
        byte[] payload,
        long expiresAt,
        Boolean offline) {

    public DeliveryCommand {
        devices = devices == null ? List.of() : List.copyOf(devices);
        offline = Boolean.TRUE.equals(offline);
    }

    /** An online-only command, or an offline-flagged broadcast (it carries a sequence). */
    public DeliveryCommand(String messageId, String appId, boolean broadcast, long broadcastSeq, List<String> devices,
                           byte[] payload, long expiresAt) {
        this(messageId, appId, broadcast, broadcastSeq, devices, payload, expiresAt, broadcastSeq > 0);
    }
}
