package dev.herald.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Settles and counts one {@link SteadyLoad.Round}: waits until every offline-flagged (device, message) pair
 * has reached its device's listener or the settle time is up, then counts deliveries, losses and
 * duplicates from the devices' side and asks the status API about every online-only message that did
 * not arrive, so that no loss goes unreported.
 */
final class DeliveryAudit {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final int MISSING_SAMPLES = 10;

    private final Fleet fleet;
    private final PushApi api;

    DeliveryAudit(Fleet fleet, PushApi api) {
        this.fleet = fleet;
        this.api = api;
    }

    private record Pair(Fleet.Member device, SteadyLoad.Sent message) {
        boolean received() {
            return device.receipts(message.id()) > 0;
        }
    }

    /**
     * Waits, while the load goes on, until every offline-flagged pair of the round's messages matching
     * {@code which} has arrived; fails with a sample of the missing ones after {@code atMost}.
     */
    void awaitOfflineDelivered(SteadyLoad.Round round, Predicate<SteadyLoad.Sent> which, Duration atMost) {
        List<Pair> outstanding = new ArrayList<>();
        for (SteadyLoad.Sent s : round.sent()) {
            if (which.test(s) && s.offline()) {
                if (s.broadcast()) {
                    fleet.members().forEach(m -> outstanding.add(new Pair(m, s)));
                } else {
                    outstanding.add(new Pair(fleet.member(s.device()), s));
                }
            }
        }
        if (outstanding.isEmpty()) {
            throw new AssertionError("no offline-flagged message of " + round.name + " matched");
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            outstanding.removeIf(Pair::received);
            if (outstanding.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(outstanding.size() + " offline-flagged pairs of " + round.name
                        + " not delivered within " + atMost + ", e.g.:\n"
                        + String.join("\n", outstanding.stream().limit(MISSING_SAMPLES).map(this::describe).toList()));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Call after the round's load has stopped. Waits while messages keep arriving: it gives up when
     * nothing arrived for {@code stall} (what is still missing then is lost) or after {@code atMost}.
     */
    FaultOutcome settle(SteadyLoad.Round round, Duration stall, Duration atMost) {
        List<SteadyLoad.Sent> sent = round.sent();
        List<Pair> offline = new ArrayList<>();
        List<Pair> online = new ArrayList<>();
        for (SteadyLoad.Sent s : sent) {
            if (s.broadcast()) {
                for (Fleet.Member m : fleet.members()) {
                    offline.add(new Pair(m, s));
                }
            } else {
                (s.offline() ? offline : online).add(new Pair(fleet.member(s.device()), s));
            }
        }

        long started = System.nanoTime();
        long deadline = started + atMost.toNanos();
        long lastProgress = started;
        List<Pair> outstanding = new ArrayList<>(offline);
        while (true) {
            if (outstanding.removeIf(Pair::received)) {
                lastProgress = System.nanoTime();
            }
            long now = System.nanoTime();
            if (outstanding.isEmpty() || now > deadline || now - lastProgress > stall.toNanos()) {
                break;
            }
            // Polling the devices' receipts; nothing else to wait on. A slow machine only delays arrivals.
            LockSupport.parkNanos(POLL_NANOS);
        }
        Duration settledIn = Duration.ofNanos(System.nanoTime() - started);

        long dropped = 0;
        long unconfirmed = 0;
        long claimed = 0;
        for (Pair lost : online) {
            if (lost.received()) {
                continue;
            }
            PushApi.Reply status = api.status(lost.message().id());
            if (status.number("delivered") > 0) {
                claimed++;
            } else if (status.number("dropped") > 0) {
                dropped++;
            } else {
                unconfirmed++;
            }
        }
        // Counted after the look-ups: a late one that arrived meanwhile counts as delivered.
        long onlineDelivered = online.size() - dropped - unconfirmed - claimed;

        long toListener = 0;
        for (List<Pair> pairs : List.of(offline, online)) {
            for (Pair p : pairs) {
                toListener += Math.max(0, p.device().receipts(p.message().id()) - 1);
            }
        }
        Set<String> sentIds = new HashSet<>();
        sent.forEach(s -> sentIds.add(s.id()));
        Set<String> phantoms = new HashSet<>();
        for (Fleet.Member m : fleet.members()) {
            for (String id : m.receivedIds(round.name)) {
                if (!sentIds.contains(id)) {
                    phantoms.add(id);
                }
            }
        }

        List<String> missing = outstanding.stream().limit(MISSING_SAMPLES)
                .map(p -> describe(p))
                .toList();
        return new FaultOutcome(round.name, round.accepted(), round.refused(), round.unanswered(),
                offline.size(), offline.size() - outstanding.size(), outstanding.size(),
                online.size(), onlineDelivered, dropped, unconfirmed, claimed,
                round.duplicatesDropped(), toListener, phantoms.size(), settledIn, missing);
    }

    private String describe(Pair p) {
        PushApi.Reply status = api.status(p.message().id());
        return p.device().deviceId + " (on port " + p.device().client().server().getPort()
                + (p.device().client().isConnected() ? ", connected" : ", disconnected") + ") never got "
                + (p.message().broadcast() ? "broadcast " : "unicast ") + p.message().id() + " #" + p.message().seq()
                + "; status " + status.body();
    }
}
