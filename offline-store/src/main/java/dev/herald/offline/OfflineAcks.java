package dev.herald.offline;

import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What devices acknowledged, recorded in the offline store on the caller's Redis pipeline: a script removes each
 * device's acknowledged ids from its pending set, remembers them, and moves its broadcast cursor forward (every
 * device of a batch in one call on one server, one call per device on a cluster). Access nodes run it in their own pipeline (no HTTP call per ACK batch); the saver's ACK endpoint
 * runs the same.
 *
 * <p>{@code delivered} counts each (device, message) pair once. An id removed from the pending set is clearly
 * a first acknowledgement; but online-only unicasts and broadcasts were never pending, and telling them apart
 * would cost a read per id. So every acknowledged id also goes into a short-lived per-device set of
 * acknowledged ids ({@code h:acked:{app:device}}, kept for {@code ack-dedup-window}, at most
 * {@code ack-dedup-size} ids): an id counts when it left the pending set or was not in that set yet. A client
 * re-sending an ACK (after a reconnect, say) within the window is therefore not counted twice, and the same
 * set stops a store re-sent by a recovering dispatcher from queueing an already-delivered message again.
 */
public final class OfflineAcks {

    private static final LuaScript ACK = LuaScript.fromClasspath("offline-scripts/ack.lua");


    /**
     * Devices per script call on one server: one call instead of hundreds saves a command's encoding, round of
     * parsing and script set-up per device, while a call stays well under a millisecond of Redis's time.
     */
    static final int DEVICES_PER_CALL = 256;

    /** The scripts this class runs: give them to the {@link RedisPipeline} it runs on, to be loaded up front. */
    public static final List<LuaScript> SCRIPTS = List.of(ACK);

    private final OfflineLimits limits;

    public OfflineAcks(OfflineLimits limits) {
        this.limits = limits;
    }

    /**
     * Issues the ACK script for every ack that has ids or a cursor: one call for up to {@value #DEVICES_PER_CALL}
     * devices on one Redis server, one per device on a cluster (see {@link RedisPipeline#oneServer}). Completes
     * with the ids acknowledged for the first time and by how many devices, by message id (to be counted as
     * {@code delivered}).
     */
    public CompletableFuture<Map<String, Integer>> acknowledge(RedisClusterAsyncCommands<String, String> commands,
                                                               List<DeviceAck> acks, long now) {
        long window = limits.ackDedupWindow().toMillis();
        List<String> common = List.of(Long.toString(now), Long.toString(window), Integer.toString(limits.ackDedupSize()),
                Long.toString(limits.cursorTtl().toMillis()), Long.toString(now - window));
        int perCall = RedisPipeline.oneServer(commands) ? DEVICES_PER_CALL : 1;
        List<CompletableFuture<List<Object>>> firsts = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<String> args = new ArrayList<>(common);
        int devices = 0;
        for (DeviceAck a : acks) {
            if (a.messageIds().isEmpty() && a.cursor() <= 0) {
                continue;
            }
            keys.add(RedisKeys.pending(a.appId(), a.deviceId()));
            keys.add(RedisKeys.acknowledged(a.appId(), a.deviceId()));
            keys.add(RedisKeys.cursor(a.appId(), a.deviceId()));
            args.add(Long.toString(a.cursor()));
            args.add(Integer.toString(a.messageIds().size()));
            args.addAll(a.messageIds());
            if (++devices == perCall) {
                firsts.add(ACK.eval(commands, ScriptOutputType.MULTI, keys, args));
                keys = new ArrayList<>();
                args = new ArrayList<>(common);
                devices = 0;
            }
        }
        if (devices > 0) {
            firsts.add(ACK.eval(commands, ScriptOutputType.MULTI, keys, args));
        }
        return RedisPipeline.allOf(firsts.toArray(CompletableFuture<?>[]::new)).thenApply(done -> {
            Map<String, Integer> delivered = new LinkedHashMap<>();
            for (CompletableFuture<List<Object>> ids : firsts) {
                for (Object id : ids.join()) {
                    delivered.merge(String.valueOf(id), 1, Integer::sum);
                }
            }
            return delivered;
        });
    }
}
