package dev.herald.dispatcher.fanout;

import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.offline.OfflineApi;
import dev.herald.dispatcher.route.AppDevice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one batch of intake messages turns into, decided without any I/O: the delivery commands per
 * access node and the status changes per message. The static methods also say which devices need a
 * route and what goes to the saver.
 *
 * @param commands      one per message per node that has any of its targets (every live node for a
 *                      broadcast)
 * @param statusChanges one per message, expired ones included
 */
record FanoutPlan(List<NodeCommand> commands, List<StatusChange> statusChanges) {

    /** A command for the delivery stream of {@code nodeId}. */
    record NodeCommand(String nodeId, DeliveryCommand command) {
    }

    /**
     * The message has been dispatched; {@code dropped} online-only targets were not connected; {@code stored}
     * device entries (or the broadcast) are newly in the offline store. An {@code expired} message was not
     * attempted at all, and its {@code expiredTargets} devices count as expired (0 for a broadcast, whose
     * audience is unknown here).
     */
    record StatusChange(String messageId, long expiresAt, boolean expired, int dropped, int expiredTargets,
                        int stored) {
    }

    static boolean expired(IntakeMessage message, long now) {
        return message.expiresAt() <= now;
    }

    /** Distinct target devices of the unexpired unicasts and multicasts: the routes to look up. */
    static Set<AppDevice> deviceTargets(List<IntakeMessage> messages, long now) {
        Set<AppDevice> devices = new LinkedHashSet<>();
        for (IntakeMessage m : messages) {
            if (m.kind() != TargetKind.BROADCAST && !expired(m, now)) {
                for (String device : m.devices()) {
                    devices.add(new AppDevice(m.appId(), device));
                }
            }
        }
        return devices;
    }

    /**
     * The unexpired offline-flagged messages, for the offline store: unicasts and multicasts with all their
     * devices (a device may drop before it receives; its pending entry goes only on its ACK), broadcasts
     * for the app's broadcast log.
     */
    static List<OfflineApi.StoreEntry> storeEntries(List<IntakeMessage> messages, long now) {
        List<OfflineApi.StoreEntry> entries = new ArrayList<>();
        for (IntakeMessage m : messages) {
            if (m.offline() && !expired(m, now)) {
                boolean broadcast = m.kind() == TargetKind.BROADCAST;
                entries.add(new OfflineApi.StoreEntry(m.id(), m.appId(), broadcast,
                        broadcast ? List.of() : distinct(m.devices()), m.payload(), m.expiresAt()));
            }
        }
        return entries;
    }

    /**
     * @param routes        live routes of the batch's target devices (absent = offline)
     * @param broadcastSeqs broadcast log positions the offline store assigned, by message id
     * @param newEntries    device entries (or the broadcast) newly in the offline store, by message id
     * @param liveNodes     access nodes a broadcast goes to
     */
    static FanoutPlan of(List<IntakeMessage> messages, Map<AppDevice, String> routes,
                         Map<String, Long> broadcastSeqs, Map<String, Integer> newEntries,
                         Collection<String> liveNodes, long now) {
        List<NodeCommand> commands = new ArrayList<>();
        List<StatusChange> statusChanges = new ArrayList<>(messages.size());
        Set<String> broadcastNodes = new TreeSet<>(liveNodes);
        for (IntakeMessage m : messages) {
            boolean broadcast = m.kind() == TargetKind.BROADCAST;
            if (expired(m, now)) {
                statusChanges.add(new StatusChange(m.id(), m.expiresAt(), true, 0,
                        broadcast ? 0 : distinct(m.devices()).size(), 0));
                continue;
            }
            if (broadcast) {
                long seq = 0;
                if (m.offline()) {
                    Long assigned = broadcastSeqs.get(m.id());
                    if (assigned == null) {
                        throw new IllegalStateException("the offline store assigned no broadcast seq to " + m.id());
                    }
                    seq = assigned;
                }
                for (String node : broadcastNodes) {
                    commands.add(new NodeCommand(node, new DeliveryCommand(m.id(), m.appId(), true, seq,
                            List.of(), m.payload(), m.expiresAt(), m.offline())));
                }
                statusChanges.add(new StatusChange(m.id(), m.expiresAt(), false, 0, 0,
                        newEntries.getOrDefault(m.id(), 0)));
                continue;
            }
            Map<String, List<String>> devicesByNode = new LinkedHashMap<>();
            int offline = 0;
            for (String device : distinct(m.devices())) {
                String node = routes.get(new AppDevice(m.appId(), device));
                if (node == null) {
                    offline++;
                } else {
                    devicesByNode.computeIfAbsent(node, n -> new ArrayList<>()).add(device);
                }
            }
            devicesByNode.forEach((node, devices) -> commands.add(new NodeCommand(node,
                    new DeliveryCommand(m.id(), m.appId(), false, 0, devices, m.payload(), m.expiresAt(), m.offline()))));
            // Offline-flagged targets are in the offline store now; only online-only ones are lost.
            statusChanges.add(new StatusChange(m.id(), m.expiresAt(), false, m.offline() ? 0 : offline, 0,
                    newEntries.getOrDefault(m.id(), 0)));
        }
        return new FanoutPlan(List.copyOf(commands), List.copyOf(statusChanges));
    }

    private static List<String> distinct(List<String> devices) {
        return List.copyOf(new LinkedHashSet<>(devices));
    }
}
