package dev.herald.offline;

import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One offline-store script run over many devices: on one Redis server every device of a batch goes into calls of up
 * to {@value #DEVICES_PER_CALL} devices, which saves a command's encoding, parsing and script set-up per device while
 * a call stays well under a millisecond of Redis's time; on a Redis Cluster one call per device, since a script's
 * keys must share a slot (a device's keys share its hash tag). Each call's reply is a list of ids, one per (device,
 * id) the script counts. Use: per device append to {@link #keys()} and {@link #args()}, then {@link #deviceDone()};
 * last {@link #finish()}.
 */
final class DeviceScriptCalls {

    static final int DEVICES_PER_CALL = 256;

    private final LuaScript script;
    private final RedisClusterAsyncCommands<String, String> commands;
    private final List<String> common;
    private final int perCall;
    private final List<CompletableFuture<List<Object>>> issued = new ArrayList<>();
    private List<String> keys = new ArrayList<>();
    private List<String> args;
    private int devices;

    /** @param common the arguments every call starts with, before the devices' own */
    DeviceScriptCalls(LuaScript script, RedisClusterAsyncCommands<String, String> commands, List<String> common) {
        this.script = script;
        this.commands = commands;
        this.common = common;
        this.perCall = RedisPipeline.oneServer(commands) ? DEVICES_PER_CALL : 1;
        this.args = new ArrayList<>(common);
    }

    /** The current call's keys, for the device being added. */
    List<String> keys() {
        return keys;
    }

    /** The current call's arguments, for the device being added. */
    List<String> args() {
        return args;
    }

    /** The device's keys and arguments are in: the call is issued once it holds {@code perCall} devices. */
    void deviceDone() {
        if (++devices == perCall) {
            issue();
        }
    }

    /** Issues what is left; returns every call's reply. */
    List<CompletableFuture<List<Object>>> finish() {
        if (devices > 0) {
            issue();
        }
        return issued;
    }

    private void issue() {
        issued.add(script.eval(commands, ScriptOutputType.MULTI, keys, args));
        keys = new ArrayList<>();
        args = new ArrayList<>(common);
        devices = 0;
    }

    /** The ids in {@code replies} (all completed), by how many times they occur. */
    static Map<String, Integer> countIds(List<CompletableFuture<List<Object>>> replies, Map<String, Integer> into) {
        for (CompletableFuture<List<Object>> reply : replies) {
            for (Object id : reply.join()) {
                into.merge(String.valueOf(id), 1, Integer::sum);
            }
        }
        return into;
    }

    static Map<String, Integer> countIds(List<CompletableFuture<List<Object>>> replies) {
        return countIds(replies, new HashMap<>());
    }
}
