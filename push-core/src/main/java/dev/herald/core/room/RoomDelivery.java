package dev.herald.core.room;

import java.util.List;

/**
 * What the room sequencer writes to one access node's delivery stream ({@code h:deliveries:{node}}, field
 * {@code r}): the messages of a batch for the rooms that have members on the node (in each room's order), the
 * answers to the node's members' sends, and members removed by the app. One stream entry per node per batch,
 * never one per member.
 */
public record RoomDelivery(List<RoomMessage> messages, List<SendResult> results, List<Removal> removals) {

    public RoomDelivery {
        messages = messages == null ? List.of() : List.copyOf(messages);
        results = results == null ? List.of() : List.copyOf(results);
        removals = removals == null ? List.of() : List.copyOf(removals);
    }

    /** The answer to a member's send, for the access node that took it. {@code seq} is 0 unless SENT. */
    public record SendResult(String messageId, String appId, String roomId, String deviceId, SendOutcome outcome,
                             long seq) {
    }

    /** A member the app removed (kick): the node stops delivering to it and tells the device. */
    public record Removal(String appId, String roomId, String deviceId) {
    }
}
