package dev.herald.dispatcher.route;

import dev.herald.core.redis.RedisKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Where devices are connected: routes ({@code h:route:{app:device}} → node id) looked up a batch at a
 * time, judged against the current {@link LiveNodes} (ZooKeeper discovery, or the Redis heartbeats
 * without it). A route to a node that is not live is treated as no route: the device counts as offline.
 */
@Component
public final class RouteTable {

    /** Phase of the live node sources: before the intake consumer starts, after it stops. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;

    private final ReactiveStringRedisTemplate redis;
    private final LiveNodes live;

    public RouteTable(ReactiveStringRedisTemplate redis, LiveNodes live) {
        this.redis = redis;
        this.live = live;
    }

    /** The live access nodes, as of now. */
    public Set<String> liveNodes() {
        return live.current();
    }

    /**
     * Routes of the given devices that point to live nodes, in one pipelined round of GETs (one key
     * per device, so it stays correct when keys spread over a cluster). Devices without such a route
     * are absent from the result.
     */
    public Mono<Map<AppDevice, String>> liveRoutes(Collection<AppDevice> devices) {
        if (devices.isEmpty()) {
            return Mono.just(Map.of());
        }
        List<AppDevice> ordered = List.copyOf(devices);
        List<Mono<Optional<String>>> lookups = new ArrayList<>(ordered.size());
        for (AppDevice device : ordered) {
            lookups.add(redis.opsForValue().get(RedisKeys.route(device.appId(), device.deviceId()))
                    .map(Optional::of)
                    .defaultIfEmpty(Optional.empty()));
        }
        // Mono.zip subscribes to every lookup at once: the GETs leave together on the shared connection.
        return Mono.zip(lookups, nodes -> {
            Set<String> liveNow = live.current();
            Map<AppDevice, String> routes = new HashMap<>();
            for (int i = 0; i < nodes.length; i++) {
                @SuppressWarnings("unchecked")
                Optional<String> node = (Optional<String>) nodes[i];
                if (node.isPresent() && liveNow.contains(node.get())) {
                    routes.put(ordered.get(i), node.get());
                }
            }
            return routes;
        });
    }
}
