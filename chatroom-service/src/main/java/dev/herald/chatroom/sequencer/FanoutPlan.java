package dev.herald.chatroom.sequencer;

import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomPost;
import dev.herald.core.room.SendOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one ordered batch sends to each access node: every message goes once to each live node that hosts members
 * of its room (never once per member), in the batch's order, which is each room's order; each sender's node gets
 * the answer to its member's send. Pure: built from the sequencing results, written by the caller as one stream
 * entry per node.
 */
final class FanoutPlan {

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private int messageDeliveries;

    /** A message got its seq; {@code hosts} are the nodes with members of its room now. */
    void sequenced(RoomPost post, long seq, List<String> hosts, Set<String> live) {
        RoomMessage message = new RoomMessage(post.appId(), post.roomId(), seq, post.messageId(), post.senderId(),
                post.sentAt(), post.payload());
        for (String host : hosts) {
            if (live.contains(host)) {
                node(host).messages.add(message);
                messageDeliveries++;
            }
        }
        answer(post, SendOutcome.SENT, seq);
    }

    /** A member's message was refused (or an app's post needs no answer). */
    void refused(RoomPost post, SendOutcome outcome) {
        answer(post, outcome, 0);
    }

    private void answer(RoomPost post, SendOutcome outcome, long seq) {
        if (post.fromDevice() && !post.nodeId().isEmpty()) {
            node(post.nodeId()).results.add(new RoomDelivery.SendResult(post.messageId(), post.appId(), post.roomId(),
                    post.senderId(), outcome, seq));
        }
    }

    private Node node(String id) {
        return nodes.computeIfAbsent(id, n -> new Node());
    }

    /** One delivery per node, in the order nodes were first named. */
    Map<String, RoomDelivery> deliveries() {
        Map<String, RoomDelivery> out = new LinkedHashMap<>();
        nodes.forEach((id, node) -> out.put(id, new RoomDelivery(node.messages, node.results, List.of())));
        return out;
    }

    /** (message, node) pairs: the messages carried between services, O(nodes) per message. */
    int messageDeliveries() {
        return messageDeliveries;
    }

    private static final class Node {
        final List<RoomMessage> messages = new ArrayList<>();
        final List<RoomDelivery.SendResult> results = new ArrayList<>();
    }
}
