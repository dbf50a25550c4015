package dev.herald.chatroom.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomPost;
import dev.herald.core.room.SendOutcome;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FanoutPlanTest {

    private static RoomPost fromDevice(String id, String room, String node) {
        return new RoomPost(id, "demo", room, "dev-" + id, node, new byte[] {1}, 1);
    }

    private static RoomPost fromApp(String id, String room) {
        return new RoomPost(id, "demo", room, "", "", new byte[] {1}, 1);
    }

    @Test
    void eachMessageGoesOnceToEachLiveHostingNodeInBatchOrder() {
        FanoutPlan plan = new FanoutPlan();
        Set<String> live = Set.of("a", "b");
        plan.sequenced(fromApp("m1", "lobby"), 1, List.of("a", "b"), live);
        plan.sequenced(fromApp("m2", "lobby"), 2, List.of("b", "a"), live);
        plan.sequenced(fromApp("m3", "other"), 1, List.of("b"), live);

        Map<String, RoomDelivery> deliveries = plan.deliveries();

        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get("a").messages()).extracting(m -> m.messageId()).containsExactly("m1", "m2");
        assertThat(deliveries.get("b").messages()).extracting(m -> m.messageId()).containsExactly("m1", "m2", "m3");
        assertThat(deliveries.get("b").messages()).extracting(m -> m.seq()).containsExactly(1L, 2L, 1L);
        assertThat(plan.messageDeliveries()).isEqualTo(5);
        assertThat(deliveries.get("a").results()).isEmpty();
    }

    @Test
    void deadNodesGetNothingButTheSendersNodeGetsTheAnswer() {
        FanoutPlan plan = new FanoutPlan();
        plan.sequenced(fromDevice("m1", "lobby", "a"), 7, List.of("a", "dead"), Set.of("a"));
        plan.refused(fromDevice("m2", "lobby", "c"), SendOutcome.MUTED);
        plan.refused(fromApp("m3", "lobby"), SendOutcome.RATE_LIMITED);

        Map<String, RoomDelivery> deliveries = plan.deliveries();

        assertThat(deliveries).containsOnlyKeys("a", "c");
        assertThat(deliveries.get("a").results()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(SendOutcome.SENT);
            assertThat(r.seq()).isEqualTo(7);
            assertThat(r.deviceId()).isEqualTo("dev-m1");
        });
        assertThat(deliveries.get("c").messages()).isEmpty();
        assertThat(deliveries.get("c").results()).singleElement()
                .satisfies(r -> assertThat(r.outcome()).isEqualTo(SendOutcome.MUTED));
        assertThat(plan.messageDeliveries()).isEqualTo(1);
    }
}
