package dev.herald.dispatcher.route;

import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Where devices are connected: routes ({@code h:route:{app:device}} → node id) looked up a batch at a
 * time, judged against the current {@link LiveNodes} (ZooKeeper discovery, or the Redis heartbeats
 * without it). A route to a node that is not live is treated as no route: the device counts as offline.
 */
@Component
public final class RouteTable {

    /** Phase of the live node sources: before the intake consumer starts, after it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;

    private final LiveNodes live;

    public RouteTable(LiveNodes live) {
        this.live = live;
    }

    /** The live access nodes, as of now. */
    public Set<String> liveNodes() {
        return live.current();
    }

    /**
     * Issues a GET per device on {@code commands} (one key per device, so it stays correct when keys spread over a
     * cluster); completes with the routes that point to live nodes. Devices without such a route are absent.
     * The caller flushes, with whatever else its round holds.
     */
    public CompletableFuture<Map<AppDevice, String>> lookUp(RedisClusterAsyncCommands<String, String> commands,
                                                            Collection<AppDevice> devices) {
        if (devices.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<AppDevice> ordered = List.copyOf(devices);
        @SuppressWarnings("unchecked")
        CompletableFuture<String>[] lookups = new CompletableFuture[ordered.size()];
        for (int i = 0; i < lookups.length; i++) {
            AppDevice device = ordered.get(i);
            lookups[i] = commands.get(RedisKeys.route(device.appId(), device.deviceId())).toCompletableFuture();
        }
        return RedisPipeline.allOf(lookups).thenApply(done -> {
            Set<String> liveNow = live.current();
            Map<AppDevice, String> routes = new HashMap<>();
            for (int i = 0; i < lookups.length; i++) {
                String node = lookups[i].join();
                if (node != null && liveNow.contains(node)) {
                    routes.put(ordered.get(i), node);
                }
            }
            return routes;
        });
    }
}
