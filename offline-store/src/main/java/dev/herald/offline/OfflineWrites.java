package dev.herald.offline;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The offline store's writes, issued on the caller's Redis pipeline: the saver's store API and the dispatcher's
 * batches (which store before they deliver without an HTTP call) write with this one class. A batch is at most
 * three kinds of commands, each pipelined: broadcast seqs ({@link #broadcastSeqs}), bodies ({@link #writeBodies})
 * and the indexes ({@link #index}: broadcast logs, pending sets, the expiry index).
 *
 * <p>Order: a body must be in Redis before any index points at it, so that a concurrent backlog fetch never
 * finds an id without its body; a device enters the expiry index only after its pending set holds the
 * entries. On one Redis server the commands of a connection run in the order they were issued, so bodies and
 * indexes may leave in one write; on a cluster the body and the pending set live on different nodes, and the
 * caller must await the bodies first. {@link #index} issues the pending set before the expiry index, both
 * on keys the pipeline sends in order within a node.
 *
 * <p>Re-storing (a dispatcher retrying a batch after a failure) is harmless: a broadcast keeps its seq, an id
 * already pending or already acknowledged by the device is not queued again, and only what is new counts.
 */
public final class OfflineWrites {

    private static final LuaScript BROADCAST_SEQ = LuaScript.fromClasspath("offline-scripts/broadcast-seq.lua");
    private static final LuaScript BROADCAST_LOG_ADD = LuaScript.fromClasspath("offline-scripts/broadcast-log-add.lua");
    private static final LuaScript PENDING_ADD = LuaScript.fromClasspath("offline-scripts/pending-add.lua");
    private static final LuaScript PENDING_DUE_ADD = LuaScript.fromClasspath("offline-scripts/pending-due-add.lua");


    /** The scripts this class runs: give them to the {@link RedisPipeline} it runs on, to be loaded up front. */
    public static final List<LuaScript> SCRIPTS = List.of(BROADCAST_SEQ, BROADCAST_LOG_ADD, PENDING_ADD, PENDING_DUE_ADD);

    private final OfflineLimits limits;
    private final MessageBodies bodies;

    public OfflineWrites(OfflineLimits limits, MessageBodies bodies) {
        this.limits = limits;
        this.bodies = bodies;
    }

    /**
     * What is to be stored of {@code entries}: one entry per message id (a unicast listed twice has its devices
     * merged, a repeated broadcast is the same broadcast), those expired at {@code now} left out.
     */
    public static List<StoreEntry> storable(List<StoreEntry> entries, long now) {
        Map<String, StoreEntry> byId = new LinkedHashMap<>();
        for (StoreEntry e : entries) {
            if (e.expiresAt() <= now) {
                continue;
            }
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

    public static boolean hasBroadcasts(List<StoreEntry> entries) {
        for (StoreEntry e : entries) {
            if (e.broadcast()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Issues one script per broadcast of {@code entries}; completes with each broadcast's seq (the one it has
     * in its app's log already, for a re-stored broadcast), by message id. Bodies carry the seq, so this comes
     * first and is awaited.
     */
    public CompletableFuture<Map<String, Long>> broadcastSeqs(RedisClusterAsyncCommands<String, String> commands,
                                                              List<StoreEntry> entries) {
        List<StoreEntry> broadcasts = entries.stream().filter(StoreEntry::broadcast).toList();
        if (broadcasts.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] seqs = new CompletableFuture[broadcasts.size()];
        for (int i = 0; i < seqs.length; i++) {
            StoreEntry b = broadcasts.get(i);
            seqs[i] = BROADCAST_SEQ.eval(commands, ScriptOutputType.INTEGER,
                    List.of(RedisKeys.broadcastLog(b.appId()), RedisKeys.broadcastSeq(b.appId())), List.of(b.messageId()));
        }
        return RedisPipeline.allOf(seqs).thenApply(done -> {
            Map<String, Long> byId = new HashMap<>();
            for (int i = 0; i < seqs.length; i++) {
                byId.put(broadcasts.get(i).messageId(), seqs[i].join());
            }
            return byId;
        });
    }

    /** Issues one SET per message: its body, living exactly as long as the message. */
    public CompletableFuture<Void> writeBodies(RedisClusterAsyncCommands<String, String> commands,
                                               List<StoreEntry> entries, Map<String, Long> seqs, long now) {
        CompletableFuture<?>[] writes = new CompletableFuture[entries.size()];
        for (int i = 0; i < writes.length; i++) {
            StoreEntry e = entries.get(i);
            long seq = seqs.getOrDefault(e.messageId(), 0L);
            String body = bodies.write(new OfflineMessage(e.messageId(), e.appId(), e.broadcast(), seq, e.payload(),
                    e.expiresAt()));
            writes[i] = commands.set(RedisKeys.body(e.messageId()), body,
                    SetArgs.Builder.px(Math.max(1, e.expiresAt() - now))).toCompletableFuture();
        }
        return RedisPipeline.allOf(writes);
    }

    /**
     * Issues the indexes: each broadcast into its app's log, the pending-set script for the batch's unicasts (many
     * devices per call on one server, one per device on a cluster: {@link DeviceScriptCalls}), then every such device into the expiry index at its earliest expiry of the batch (one script per
     * index shard; re-indexing is harmless and repairs an index write lost with a failed attempt). Completes
     * with how many (device, message) pairs or broadcasts are new, by message id; ids with none are absent.
     */
    public CompletableFuture<Map<String, Integer>> index(RedisClusterAsyncCommands<String, String> commands,
                                                         List<StoreEntry> entries, Map<String, Long> seqs) {
        Map<DeviceKey, List<StoreEntry>> byDevice = new LinkedHashMap<>();
        List<CompletableFuture<List<Object>>> newIds = new ArrayList<>();
        for (StoreEntry e : entries) {
            if (e.broadcast()) {
                Long seq = seqs.get(e.messageId());
                if (seq == null) {
                    throw new IllegalArgumentException("broadcast " + e.messageId() + " has no seq");
                }
                String id = e.messageId();
                newIds.add(BROADCAST_LOG_ADD.<Long>eval(commands, ScriptOutputType.INTEGER,
                                List.of(RedisKeys.broadcastLog(e.appId())),
                                List.of(Long.toString(seq), id, Integer.toString(limits.broadcastLogSize())))
                        .thenApply(added -> added == 1L ? List.<Object>of(id) : List.of()));
            } else {
                for (String device : e.devices()) {
                    byDevice.computeIfAbsent(new DeviceKey(e.appId(), device), d -> new ArrayList<>()).add(e);
                }
            }
        }
        List<String> common = List.of(Integer.toString(limits.maxPendingPerDevice()),
                Long.toString(MessageStatus.RETENTION_AFTER_EXPIRY_MS));
        DeviceScriptCalls pendingAdds = new DeviceScriptCalls(PENDING_ADD, commands, common);
        Map<String, List<String>> dueByShard = new HashMap<>();
        for (Map.Entry<DeviceKey, List<StoreEntry>> d : byDevice.entrySet()) {
            DeviceKey device = d.getKey();
            List<StoreEntry> pending = d.getValue();
            pendingAdds.keys().add(RedisKeys.pending(device.appId(), device.deviceId()));
            pendingAdds.keys().add(RedisKeys.acknowledged(device.appId(), device.deviceId()));
            pendingAdds.args().add(Integer.toString(pending.size()));
            long earliest = Long.MAX_VALUE;
            for (StoreEntry e : pending) {
                pendingAdds.args().add(Long.toString(e.expiresAt()));
                pendingAdds.args().add(e.messageId());
                earliest = Math.min(earliest, e.expiresAt());
            }
            pendingAdds.deviceDone();
            List<String> shard = dueByShard.computeIfAbsent(RedisKeys.pendingDue(device.appId(), device.deviceId()),
                    key -> new ArrayList<>());
            shard.add(Long.toString(earliest));
            shard.add(RedisKeys.pendingDueMember(device.appId(), device.deviceId()));
        }
        newIds.addAll(pendingAdds.finish());
        List<CompletableFuture<?>> all = new ArrayList<>(newIds);
        dueByShard.forEach((shard, due) ->
                all.add(PENDING_DUE_ADD.eval(commands, ScriptOutputType.INTEGER, List.of(shard), due)));
        return RedisPipeline.allOf(all.toArray(CompletableFuture<?>[]::new)).thenApply(done -> DeviceScriptCalls.countIds(newIds));
    }

    private record DeviceKey(String appId, String deviceId) {
    }
}
