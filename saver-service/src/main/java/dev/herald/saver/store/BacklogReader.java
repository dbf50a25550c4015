package dev.herald.saver.store;

import dev.herald.core.offline.OfflineApi.Backlog;
import dev.herald.core.offline.OfflineApi.DeviceCursor;
import dev.herald.core.offline.OfflineApi.FetchResponse;
import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.offline.MessageBodies;
import dev.herald.protocol.MessageId;
import dev.herald.saver.SaverProperties;
import dev.herald.saver.store.OfflineCommands.LogEntry;
import dev.herald.saver.store.OfflineCommands.PendingSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

/**
 * What reconnecting devices missed: their pending unicasts and the broadcasts after their cursor.
 * Fetching does not consume anything; only an ACK removes a message or moves a cursor, so a device
 * that drops before acknowledging gets the same backlog next time.
 *
 * <p>A batch costs three pipelined rounds, rarely four: (1) per device the pending set (expired entries
 * removed in the same script) and server-side cursor, with per app the newest broadcasts of its log;
 * (2) the bodies, and the {@code expired} status counters; (3) only when the body of a pending id
 * vanished meanwhile, removing it from its pending set and counting it as expired (then a fourth for
 * those counters). Entries of devices that never come back are counted by {@link ExpirySweep}.
 */
@Component
public final class BacklogReader {

    private static final Logger log = LoggerFactory.getLogger(BacklogReader.class);

    private final OfflineCommands redis;
    private final MessageBodies bodies;
    private final OfflineMetrics metrics;
    private final SaverProperties properties;
    private final Clock clock;

    BacklogReader(OfflineCommands redis, MessageBodies bodies, OfflineMetrics metrics, SaverProperties properties,
                  Clock clock) {
        this.redis = redis;
        this.bodies = bodies;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /** One backlog per requested device, in the order of the request. */
    public Mono<FetchResponse> fetch(List<DeviceCursor> devices) {
        if (devices.isEmpty()) {
            return Mono.just(new FetchResponse(List.of()));
        }
        long now = clock.millis();
        List<String> apps = devices.stream().map(DeviceCursor::appId).distinct().toList();
        Mono<List<PendingSnapshot>> pending = RedisRounds.all(devices.stream()
                .map(d -> redis.readPending(d.appId(), d.deviceId(), now))
                .toList());
        // Every device's replay is the newest broadcasts after its cursor, so the app's newest
        // max-broadcast-replay entries, filtered per device by cursor, are enough for all of them.
        Mono<List<List<LogEntry>>> logs = RedisRounds.all(apps.stream()
                .map(app -> redis.readBroadcastLog(app, properties.maxBroadcastReplay()))
                .toList());
        return Mono.zip(pending, logs)
                .map(round1 -> plan(devices, apps, round1))
                .flatMap(plans -> readBodies(plans, now))
                .flatMap(read -> removeVanished(read.plans, read.bodies, now)
                        .then(Mono.fromSupplier(() -> backlogs(read.plans, read.bodies))));
    }

    private static List<DevicePlan> plan(List<DeviceCursor> devices, List<String> apps,
                                         Tuple2<List<PendingSnapshot>, List<List<LogEntry>>> round1) {
        Map<String, List<LogEntry>> logByApp = new HashMap<>();
        for (int i = 0; i < apps.size(); i++) {
            logByApp.put(apps.get(i), round1.getT2().get(i));
        }
        List<DevicePlan> plans = new ArrayList<>(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            DeviceCursor device = devices.get(i);
            PendingSnapshot snapshot = round1.getT1().get(i);
            long cursor = Math.max(device.cursor(), snapshot.cursor());
            List<LogEntry> broadcasts = logByApp.get(device.appId()).stream()
                    .filter(b -> b.seq() > cursor)
                    .toList();
            plans.add(new DevicePlan(device, snapshot, broadcasts));
        }
        return plans;
    }

    /** Round 2: every distinct body once, and the expired counters. */
    private Mono<BodiesRead> readBodies(List<DevicePlan> plans, long now) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        ExpiredTally expired = new ExpiredTally();
        for (DevicePlan plan : plans) {
            ids.addAll(plan.pending.live());
            plan.broadcasts.forEach(b -> ids.add(b.messageId()));
            plan.pending.expired().forEach(expired::add);
        }
        List<String> idList = List.copyOf(ids);
        Mono<List<Optional<String>>> bodyRound = RedisRounds.all(idList.stream().map(redis::readBody).toList());
        return Mono.zip(bodyRound, RedisRounds.all(expired.increments(redis))).map(round2 -> {
            metrics.expired(expired.total());
            Map<String, OfflineMessage> byId = new HashMap<>();
            List<Optional<String>> found = round2.getT1();
            for (int i = 0; i < idList.size(); i++) {
                String id = idList.get(i);
                found.get(i).flatMap(json -> bodies.read(id, json))
                        .filter(m -> m.expiresAt() > now)
                        .ifPresent(m -> byId.put(id, m));
            }
            return new BodiesRead(plans, byId);
        });
    }

    /**
     * Round 3: a pending id whose body is gone can never be delivered: its body expired between the
     * pending read and the body read (or Redis evicted it). Drop it from its set and count it as
     * expired for that device, as if the pending read had seen it expire; an id the expiry sweep
     * removed meanwhile was counted by the sweep, so only ids this round removes count.
     */
    private Mono<Void> removeVanished(List<DevicePlan> plans, Map<String, OfflineMessage> found, long now) {
        List<DeviceRef> devices = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (DevicePlan plan : plans) {
            for (String id : plan.pending.live()) {
                if (!found.containsKey(id)) {
                    devices.add(new DeviceRef(plan.device.appId(), plan.device.deviceId()));
                    ids.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        List<Mono<Boolean>> removals = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            removals.add(redis.removePending(devices.get(i).appId(), devices.get(i).deviceId(), ids.get(i)));
        }
        return RedisRounds.all(removals).flatMap(removed -> {
            ExpiredTally expired = new ExpiredTally();
            for (int i = 0; i < ids.size(); i++) {
                if (removed.get(i)) {
                    // The entry's expiry went with the body; now is when it was found gone.
                    expired.add(ids.get(i), now);
                }
            }
            return RedisRounds.all(expired.increments(redis)).doOnSuccess(r -> metrics.expired(expired.total()));
        }).then();
    }

    private FetchResponse backlogs(List<DevicePlan> plans, Map<String, OfflineMessage> found) {
        List<Backlog> backlogs = new ArrayList<>(plans.size());
        long total = 0;
        for (DevicePlan plan : plans) {
            List<OfflineMessage> unicasts = plan.pending.live().stream()
                    .map(found::get)
                    .filter(Objects::nonNull)
                    .sorted(Comparator.comparing(m -> MessageId.parse(m.messageId())))
                    .toList();
            List<OfflineMessage> broadcasts = plan.broadcasts.stream()
                    .filter(b -> found.containsKey(b.messageId()))
                    .map(b -> withSeq(found.get(b.messageId()), b.seq()))
                    .toList();
            List<OfflineMessage> messages = mergeByCreationTime(unicasts, broadcasts);
            total += messages.size();
            backlogs.add(new Backlog(plan.device.appId(), plan.device.deviceId(), messages));
        }
        metrics.fetched(total);
        log.debug("Fetched backlogs of {} devices: {} messages", plans.size(), total);
        return new FetchResponse(backlogs);
    }

    /** The log's seq is authoritative: it is the one devices acknowledge as their cursor. */
    private static OfflineMessage withSeq(OfflineMessage body, long seq) {
        return body.broadcastSeq() == seq && body.broadcast() ? body
                : new OfflineMessage(body.messageId(), body.appId(), true, seq, body.payload(), body.expiresAt());
    }

    /**
     * Unicasts (sorted by id) and broadcasts (sorted by seq) merged by creation time, the time in the
     * message id. Merging two sorted lists keeps each list's own order even where clocks of the
     * producers disagree within a millisecond.
     */
    static List<OfflineMessage> mergeByCreationTime(List<OfflineMessage> unicasts, List<OfflineMessage> broadcasts) {
        List<OfflineMessage> merged = new ArrayList<>(unicasts.size() + broadcasts.size());
        int u = 0;
        int b = 0;
        while (u < unicasts.size() || b < broadcasts.size()) {
            boolean takeUnicast = b == broadcasts.size()
                    || (u < unicasts.size() && createdAt(unicasts.get(u)) <= createdAt(broadcasts.get(b)));
            merged.add(takeUnicast ? unicasts.get(u++) : broadcasts.get(b++));
        }
        return merged;
    }

    private static long createdAt(OfflineMessage m) {
        return MessageId.parse(m.messageId()).epochMillis();
    }

    private record DevicePlan(DeviceCursor device, PendingSnapshot pending, List<LogEntry> broadcasts) {
    }

    private record BodiesRead(List<DevicePlan> plans, Map<String, OfflineMessage> bodies) {
    }
}
