package dev.herald.dispatcher.route;

import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.DispatcherProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where devices are connected: routes ({@code h:route:{app:device}} → node id) looked up a batch at a
 * time, judged against a snapshot of the live access nodes ({@code h:nodes}, heartbeat within
 * {@code node-liveness}) that is refreshed every second in the background, so a batch never waits on it.
 * A route to a node missing from the snapshot is treated as no route: the device counts as offline.
 */
@Component
public final class RouteTable implements SmartLifecycle {

    /** Started before and stopped after the intake consumer, which needs the live node snapshot. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 200;

    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(1);
    private static final Duration INITIAL_LOAD_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveStringRedisTemplate redis;
    private final Duration nodeLiveness;
    private volatile Set<String> liveNodes = Set.of();
    private volatile boolean refreshFailing;
    private volatile Disposable refresher;

    public RouteTable(ReactiveStringRedisTemplate redis, DispatcherProperties properties) {
        this.redis = redis;
        this.nodeLiveness = properties.nodeLiveness();
    }

    /** The access nodes whose last heartbeat is recent enough, as of the last refresh. */
    public Set<String> liveNodes() {
        return liveNodes;
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
            Set<String> live = liveNodes;
            Map<AppDevice, String> routes = new HashMap<>();
            for (int i = 0; i < nodes.length; i++) {
                @SuppressWarnings("unchecked")
                Optional<String> node = (Optional<String>) nodes[i];
                if (node.isPresent() && live.contains(node.get())) {
                    routes.put(ordered.get(i), node.get());
                }
            }
            return routes;
        });
    }

    Mono<Set<String>> refresh() {
        double oldestLiveHeartbeat = System.currentTimeMillis() - nodeLiveness.toMillis();
        return redis.opsForZSet()
                .rangeByScore(RedisKeys.LIVE_NODES, Range.rightUnbounded(Range.Bound.inclusive(oldestLiveHeartbeat)))
                .collect(HashSet<String>::new, Set::add)
                .map(Set::copyOf)
                .doOnNext(nodes -> {
                    if (!nodes.equals(liveNodes)) {
                        log.info("live access nodes: {}", nodes);
                    }
                    liveNodes = nodes;
                    if (refreshFailing) {
                        refreshFailing = false;
                        log.info("live node refresh recovered");
                    }
                });
    }

    @Override
    public void start() {
        try {
            refresh().block(INITIAL_LOAD_TIMEOUT);
        } catch (RuntimeException e) {
            // Not fatal: the background refresh keeps trying; until it succeeds every route counts as offline.
            log.warn("initial load of live access nodes failed: {}", e.toString());
            refreshFailing = true;
        }
        refresher = Flux.interval(REFRESH_EVERY, REFRESH_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    if (!refreshFailing) {
                        refreshFailing = true;
                        log.warn("live node refresh failed, keeping the last snapshot: {}", e.toString());
                    }
                    return Mono.empty();
                }))
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable r = refresher;
        if (r != null) {
            r.dispose();
            refresher = null;
        }
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
