package dev.herald.saver.store;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.offline.OfflineApi.StoreResponse;
import dev.herald.core.offline.OfflineApi.Stored;
import dev.herald.core.redis.RedisKeys;
import dev.herald.saver.SaverProperties;
import dev.herald.saver.store.OfflineCommands.DueDevice;
import dev.herald.saver.store.OfflineCommands.PendingEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Keeps messages for devices that are not connected. A body is stored once per message, however many
 * devices it targets; devices hold only ids (their pending set) and broadcasts live in their app's
 * log. A batch costs at most four pipelined rounds: broadcast seqs, bodies, the indexes (pending sets
 * and broadcast logs), status counters with the expiry index. Bodies are written before any index points
 * at them, so a concurrent fetch never finds an id without its body; a device enters the expiry index
 * ({@link ExpirySweep}) only after its pending set holds the entries, so the sweep never misses one.
 *
 * <p>Re-sending a batch (a dispatcher retrying after a crash) is harmless: a broadcast keeps its seq,
 * an id already pending or already acknowledged by a device is not queued again, and only entries
 * that are new count as {@code stored}.
 */
@Component
public final class OfflineStore {

    private static final Logger log = LoggerFactory.getLogger(OfflineStore.class);

    private final OfflineCommands redis;
    private final MessageBodies bodies;
    private final OfflineMetrics metrics;
    private final SaverProperties properties;
    private final Clock clock;

    OfflineStore(OfflineCommands redis, MessageBodies bodies, OfflineMetrics metrics, SaverProperties properties,
                 Clock clock) {
        this.redis = redis;
        this.bodies = bodies;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Stores the entries. Entries already expired are skipped and absent from the response; the
     * response lists every other entry, with its broadcast seq (0 for unicasts).
     */
    public Mono<StoreResponse> store(List<StoreEntry> entries) {
        long now = clock.millis();
        List<StoreEntry> live = mergeById(entries).stream().filter(e -> e.expiresAt() > now).toList();
        if (live.isEmpty()) {
            return Mono.just(new StoreResponse(List.of()));
        }
        List<StoreEntry> broadcasts = live.stream().filter(StoreEntry::broadcast).toList();
        return allocateSeqs(broadcasts)
                .flatMap(seqs -> storeBodies(live, seqs).thenReturn(seqs))
                .flatMap(seqs -> index(live, broadcasts, seqs)
                        .flatMap(storedCounts -> countStored(live, storedCounts, dueDevices(live)))
                        .thenReturn(response(live, seqs)));
    }

    /** Round 1: each broadcast's seq (the existing one for a re-sent broadcast). */
    private Mono<Map<String, Long>> allocateSeqs(List<StoreEntry> broadcasts) {
        List<Mono<Long>> round = broadcasts.stream()
                .map(b -> redis.broadcastSeq(b.appId(), b.messageId()))
                .toList();
        return RedisRounds.all(round).map(seqs -> {
            Map<String, Long> byId = new HashMap<>();
            for (int i = 0; i < broadcasts.size(); i++) {
                byId.put(broadcasts.get(i).messageId(), seqs.get(i));
            }
            return byId;
        });
    }

    /** Round 2: one body per message, living exactly as long as the message. */
    private Mono<List<Long>> storeBodies(List<StoreEntry> entries, Map<String, Long> seqs) {
        List<Mono<Long>> round = entries.stream()
                .map(e -> {
                    long seq = seqs.getOrDefault(e.messageId(), 0L);
                    String json = bodies.write(new OfflineMessage(e.messageId(), e.appId(), e.broadcast(), seq,
                            e.payload(), e.expiresAt()));
                    return redis.storeBody(e.messageId(), json, e.expiresAt());
                })
                .toList();
        return RedisRounds.all(round);
    }

    /**
     * Round 3: broadcast logs and pending sets (one script per device, for all its messages of the
     * batch). Emits how many (device, message) pairs or broadcasts are new, per message id.
     */
    private Mono<Map<String, Integer>> index(List<StoreEntry> entries, List<StoreEntry> broadcasts,
                                             Map<String, Long> seqs) {
        Map<DeviceRef, List<PendingEntry>> pendingByDevice = new LinkedHashMap<>();
        for (StoreEntry e : entries) {
            if (!e.broadcast()) {
                for (String device : e.devices()) {
                    pendingByDevice.computeIfAbsent(new DeviceRef(e.appId(), device), d -> new ArrayList<>())
                            .add(new PendingEntry(e.messageId(), e.expiresAt()));
                }
            }
        }
        List<Mono<List<String>>> round = new ArrayList<>(broadcasts.size() + pendingByDevice.size());
        for (StoreEntry b : broadcasts) {
            round.add(redis.addToBroadcastLog(b.appId(), seqs.get(b.messageId()), b.messageId(),
                            properties.broadcastLogSize())
                    .map(added -> added ? List.of(b.messageId()) : List.of()));
        }
        pendingByDevice.forEach((device, pending) -> round.add(
                redis.addPending(device.appId(), device.deviceId(), properties.maxPendingPerDevice(),
                        MessageStatus.RETENTION_AFTER_EXPIRY_MS, pending)));
        return RedisRounds.all(round).map(newIds -> {
            Map<String, Integer> counts = new HashMap<>();
            newIds.forEach(ids -> ids.forEach(id -> counts.merge(id, 1, Integer::sum)));
            return counts;
        });
    }

    /**
     * Round 4: {@code stored} counters, one increment per message (one script per status slot); and every device given a pending entry
     * put in the expiry index at its earliest expiry of the batch, one script per index shard. Re-sent
     * batches index again: harmless, and it repairs an index write lost with a failed attempt.
     */
    private Mono<Void> countStored(List<StoreEntry> entries, Map<String, Integer> storedCounts,
                                   Map<String, List<DueDevice>> dueByShard) {
        List<Mono<Long>> round = new ArrayList<>(storedCounts.size() + dueByShard.size());
        dueByShard.forEach((shard, devices) -> round.add(redis.indexDue(shard, devices)));
        long total = 0;
        List<OfflineCommands.StatusIncrement> stored = new ArrayList<>(storedCounts.size());
        for (StoreEntry e : entries) {
            Integer n = storedCounts.get(e.messageId());
            if (n != null) {
                total += n;
                stored.add(new OfflineCommands.StatusIncrement(e.messageId(), n,
                        e.expiresAt() + MessageStatus.RETENTION_AFTER_EXPIRY_MS));
            }
        }
        round.addAll(redis.incrementStatuses(MessageStatus.STORED, stored));
        long newlyStored = total;
        return RedisRounds.all(round).doOnSuccess(r -> {
            metrics.stored(newlyStored);
            log.debug("Stored {} messages, {} new device entries or broadcasts", entries.size(), newlyStored);
        }).then();
    }

    /** Per index shard, each device with a unicast in the batch at its earliest expiry in the batch. */
    private static Map<String, List<DueDevice>> dueDevices(List<StoreEntry> entries) {
        Map<DeviceRef, Long> earliest = new LinkedHashMap<>();
        for (StoreEntry e : entries) {
            if (!e.broadcast()) {
                for (String device : e.devices()) {
                    earliest.merge(new DeviceRef(e.appId(), device), e.expiresAt(), Math::min);
                }
            }
        }
        Map<String, List<DueDevice>> byShard = new HashMap<>();
        earliest.forEach((d, dueAt) -> byShard.computeIfAbsent(RedisKeys.pendingDue(d.appId(), d.deviceId()),
                shard -> new ArrayList<>()).add(new DueDevice(RedisKeys.pendingDueMember(d.appId(), d.deviceId()), dueAt)));
        return byShard;
    }

    private static StoreResponse response(List<StoreEntry> entries, Map<String, Long> seqs) {
        return new StoreResponse(entries.stream()
                .map(e -> new Stored(e.messageId(), seqs.getOrDefault(e.messageId(), 0L)))
                .toList());
    }

    /**
     * One entry per message id: a message's body and seq must be decided once. Device lists of a
     * unicast that appears twice are merged; a repeated broadcast is the same broadcast.
     */
    private static List<StoreEntry> mergeById(List<StoreEntry> entries) {
        Map<String, StoreEntry> byId = new LinkedHashMap<>();
        for (StoreEntry e : entries) {
            byId.merge(e.messageId(), e, (first, again) -> {
                if (first.broadcast()) {
                    return first;
                }
                LinkedHashSet<String> devices = new LinkedHashSet<>(first.devices());
                devices.addAll(again.devices());
                return new StoreEntry(first.messageId(), first.appId(), false, List.copyOf(devices),
                        first.payload(), first.expiresAt());
            });
        }
        return List.copyOf(byId.values());
    }
}
