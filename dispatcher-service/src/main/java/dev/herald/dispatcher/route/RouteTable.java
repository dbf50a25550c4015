package dev.herald.dispatcher.route;

import dev.herald.config.nodes.LiveNodes;
import dev.herald.core.redis.RedisKeys;
import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;

/**
 * Where devices are connected: routes ({@code h:route:{app:device}} → node id) looked up a batch at a
 * time (one MGET per batch), judged against the current {@link LiveNodes} (ZooKeeper discovery, or the Redis heartbeats
 * without it). A route to a node that is not live is treated as no route: the device counts as offline.
 */
@Component
public final class RouteTable {

    /** Phase of the live node sources: before the intake consumer starts, after it stops. */
    public static final int PHASE = LiveNodes.PHASE;

    private final LiveNodes live;

    public RouteTable(LiveNodes live) {
        this.live = live;
    }

    /** The live access nodes, as of now. */
    public Set<String> liveNodes() {
        return live.current();
    }

    /**
     * Issues one MGET of the devices' routes on {@code commands}; completes with the routes that point to live
     * nodes. Devices without such a route are absent. The caller flushes, with whatever else its round holds.
     * One command rather than a GET per device: on one Redis server it runs after everything issued before it
     * in the round; on a Redis Cluster, Lettuce splits it by slot, and each part runs after what was issued
     * before it on that slot's node (a device's pending entry, which shares the route's hash tag).
     */
    public CompletableFuture<Map<AppDevice, String>> lookUp(RedisClusterAsyncCommands<String, String> commands,
                                                            Collection<AppDevice> devices) {
        if (devices.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<AppDevice> ordered = List.copyOf(devices);
        String[] keys = new String[ordered.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = RedisKeys.route(ordered.get(i).appId(), ordered.get(i).deviceId());
        }
        return commands.mget(keys).toCompletableFuture().thenApply(values -> {
            Set<String> liveNow = live.current();
            Map<AppDevice, String> routes = new HashMap<>();
            for (int i = 0; i < values.size(); i++) {
                KeyValue<String, String> route = values.get(i);
                if (route.hasValue() && liveNow.contains(route.getValue())) {
                    routes.put(ordered.get(i), route.getValue());
                }
            }
            return routes;
        });
    }
}
