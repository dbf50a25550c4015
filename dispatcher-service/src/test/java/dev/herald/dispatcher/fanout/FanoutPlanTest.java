package dev.herald.dispatcher.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.offline.OfflineApi;
import dev.herald.dispatcher.route.AppDevice;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FanoutPlanTest {

    static final long NOW = 1_000_000;
    static final byte[] PAYLOAD = {1, 2, 3};

    static IntakeMessage message(String id, TargetKind kind, List<String> devices, boolean offline, long expiresAt) {
        return new IntakeMessage(id, "app", kind, devices, PAYLOAD, offline, NOW - 10, expiresAt);
    }

    @Test
    void multicastGroupsOnlineDevicesByNodeAndCountsOnlineOnlyMissesAsDropped() {
        IntakeMessage m = message("m1", TargetKind.DEVICES, List.of("a", "b", "c", "a", "x"), false, NOW + 1);
        Map<AppDevice, String> routes = Map.of(
                new AppDevice("app", "a"), "n1", new AppDevice("app", "b"), "n2", new AppDevice("app", "c"), "n1");

        FanoutPlan plan = FanoutPlan.of(List.of(m), routes, Map.of(), Map.of(), Set.of("n1", "n2"), NOW);

        assertThat(plan.commands()).extracting(FanoutPlan.NodeCommand::nodeId).containsExactly("n1", "n2");
        assertThat(plan.commands().get(0).command().devices()).containsExactly("a", "c");
        assertThat(plan.commands().get(1).command().devices()).containsExactly("b");
        assertThat(plan.statusChanges()).containsExactly(new FanoutPlan.StatusChange("m1", NOW + 1, false, 1, 0, 0));
    }

    @Test
    void commandsSayWhetherTheMessageIsStoredSoThatANodeMayLeaveItToTheBacklog() {
        IntakeMessage stored = message("m1", TargetKind.DEVICE, List.of("a"), true, NOW + 1);
        IntakeMessage onlineOnly = message("m2", TargetKind.DEVICE, List.of("a"), false, NOW + 1);
        IntakeMessage storedBroadcast = message("b1", TargetKind.BROADCAST, List.of(), true, NOW + 1);
        IntakeMessage onlineOnlyBroadcast = message("b2", TargetKind.BROADCAST, List.of(), false, NOW + 1);

        FanoutPlan plan = FanoutPlan.of(List.of(stored, onlineOnly, storedBroadcast, onlineOnlyBroadcast),
                Map.of(new AppDevice("app", "a"), "n1"), Map.of("b1", 7L), Map.of(), Set.of("n1"), NOW);

        assertThat(plan.commands()).extracting(c -> c.command().messageId() + ":" + c.command().offline())
                .containsExactly("m1:true", "m2:false", "b1:true", "b2:false");
    }

    @Test
    void offlineFlaggedMissesAreNotDropped() {
        IntakeMessage m = message("m1", TargetKind.DEVICE, List.of("x"), true, NOW + 1);

        FanoutPlan plan = FanoutPlan.of(List.of(m), Map.of(), Map.of(), Map.of(), Set.of("n1"), NOW);

        assertThat(plan.commands()).isEmpty();
        assertThat(plan.statusChanges()).containsExactly(new FanoutPlan.StatusChange("m1", NOW + 1, false, 0, 0, 0));
    }

    @Test
    void broadcastIsOneCommandPerLiveNodeCarryingItsSeq() {
        IntakeMessage stored = message("b1", TargetKind.BROADCAST, List.of(), true, NOW + 1);
        IntakeMessage onlineOnly = message("b2", TargetKind.BROADCAST, List.of(), false, NOW + 1);

        FanoutPlan plan = FanoutPlan.of(List.of(stored, onlineOnly), Map.of(), Map.of("b1", 42L), Map.of(), Set.of("n2", "n1"), NOW);

        assertThat(plan.commands()).hasSize(4).allSatisfy(c -> {
            assertThat(c.command().broadcast()).isTrue();
            assertThat(c.command().devices()).isEmpty();
        });
        assertThat(plan.commands()).filteredOn(c -> c.command().messageId().equals("b1"))
                .extracting(c -> c.nodeId() + ":" + c.command().broadcastSeq()).containsExactly("n1:42", "n2:42");
        assertThat(plan.commands()).filteredOn(c -> c.command().messageId().equals("b2"))
                .extracting(c -> c.command().broadcastSeq()).containsOnly(0L);
    }

    @Test
    void storedBroadcastWithoutSeqIsRefused() {
        IntakeMessage m = message("b1", TargetKind.BROADCAST, List.of(), true, NOW + 1);

        assertThatThrownBy(() -> FanoutPlan.of(List.of(m), Map.of(), Map.of(), Map.of(), Set.of("n1"), NOW))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void expiredMessagesAreNeitherRoutedStoredNorDeliveredButCounted() {
        IntakeMessage expired = message("m1", TargetKind.DEVICES, List.of("a", "b"), true, NOW);
        IntakeMessage expiredBroadcast = message("b1", TargetKind.BROADCAST, List.of(), true, NOW - 1);
        List<IntakeMessage> batch = List.of(expired, expiredBroadcast);

        FanoutPlan plan = FanoutPlan.of(batch, Map.of(new AppDevice("app", "a"), "n1"), Map.of(), Map.of(), Set.of("n1"), NOW);

        assertThat(FanoutPlan.deviceTargets(batch, NOW)).isEmpty();
        assertThat(FanoutPlan.storeEntries(batch, NOW)).isEmpty();
        assertThat(plan.commands()).isEmpty();
        assertThat(plan.statusChanges()).containsExactly(
                new FanoutPlan.StatusChange("m1", NOW, true, 0, 2, 0),
                new FanoutPlan.StatusChange("b1", NOW - 1, true, 0, 0, 0));
    }

    @Test
    void storeEntriesHoldEveryTargetOfOfflineFlaggedMessagesOnly() {
        List<IntakeMessage> batch = List.of(
                message("m1", TargetKind.DEVICES, List.of("a", "b", "a"), true, NOW + 1),
                message("m2", TargetKind.DEVICE, List.of("c"), false, NOW + 1),
                message("b1", TargetKind.BROADCAST, List.of(), true, NOW + 1));

        List<OfflineApi.StoreEntry> entries = FanoutPlan.storeEntries(batch, NOW);

        assertThat(entries).extracting(OfflineApi.StoreEntry::messageId).containsExactly("m1", "b1");
        assertThat(entries.get(0).devices()).containsExactly("a", "b");
        assertThat(entries.get(0).broadcast()).isFalse();
        assertThat(entries.get(1).broadcast()).isTrue();
        assertThat(entries.get(1).devices()).isEmpty();
        assertThat(FanoutPlan.deviceTargets(batch, NOW)).containsExactly(
                new AppDevice("app", "a"), new AppDevice("app", "b"), new AppDevice("app", "c"));
    }
}
