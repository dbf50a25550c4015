package dev.herald.offline;

import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
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


    /** The scripts this class runs: give them to the {@link RedisPipeline} it runs on, to be loaded up front. */
    public static final List<LuaScript> SCRIPTS = List.of(ACK);

    private final OfflineLimits limits;

    public OfflineAcks(OfflineLimits limits) {
        this.limits = limits;
    }

    /**
     * Issues the ACK script for every ack that has ids or a cursor: many devices per call on one Redis
     * server, one per device on a cluster ({@link DeviceScriptCalls}). Completes
     * with the ids acknowledged for the first time and by how many devices, by message id (to be counted as
     * {@code delivered}).
     */
    public CompletableFuture<Map<String, Integer>> acknowledge(RedisClusterAsyncCommands<String, String> commands,
                                                               List<DeviceAck> acks, long now) {
        long window = limits.ackDedupWindow().toMillis();
        List<String> common = List.of(Long.toString(now), Long.toString(window), Integer.toString(limits.ackDedupSize()),
                Long.toString(limits.cursorTtl().toMillis()), Long.toString(now - window));
        DeviceScriptCalls calls = new DeviceScriptCalls(ACK, commands, common);
        for (DeviceAck a : acks) {
            if (a.messageIds().isEmpty() && a.cursor() <= 0) {
                continue;
            }
            calls.keys().add(RedisKeys.pending(a.appId(), a.deviceId()));
            calls.keys().add(RedisKeys.acknowledged(a.appId(), a.deviceId()));
            calls.keys().add(RedisKeys.cursor(a.appId(), a.deviceId()));
            calls.args().add(Long.toString(a.cursor()));
            calls.args().add(Integer.toString(a.messageIds().size()));
            calls.args().addAll(a.messageIds());
            calls.deviceDone();
        }
        List<CompletableFuture<List<Object>>> firsts = calls.finish();
        return RedisPipeline.allOf(firsts.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> DeviceScriptCalls.countIds(firsts, new LinkedHashMap<>()));
    }
}
