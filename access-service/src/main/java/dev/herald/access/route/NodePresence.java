package dev.herald.access.route;

import dev.herald.access.AccessProperties;
import dev.herald.access.session.DeviceKey;
import dev.herald.access.session.SessionRegistry;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * This node's membership in the cluster: its heartbeat in {@code h:nodes} (the dispatcher treats the
 * routes of a node with a stale heartbeat as offline), the periodic re-set of all its routes before
 * they expire, and an orderly leave on shutdown.
 */
@Component
public final class NodePresence {

    private static final Logger log = LoggerFactory.getLogger(NodePresence.class);

    /** Routes per refresh chunk; the next chunk is read from the registry once this one is written. */
    static final int REFRESH_CHUNK = 512;

    private final AccessProperties properties;
    private final ReactiveStringRedisTemplate redis;
    private final SessionRegistry registry;
    private final RouteTable routes;
    private final Disposable.Composite schedules = Disposables.composite();

    public NodePresence(AccessProperties properties, ReactiveStringRedisTemplate redis, SessionRegistry registry,
                        RouteTable routes) {
        this.properties = properties;
        this.redis = redis;
        this.registry = registry;
        this.routes = routes;
    }

    /** Announces the node (one heartbeat now) and starts the heartbeat and route refresh schedules. */
    public void join() {
        try {
            heartbeat().block(properties.shutdownTimeout());
        } catch (RuntimeException e) {
            // Not fatal: the schedule below retries every node-heartbeat.
            log.warn("first heartbeat of node {} failed: {}", properties.nodeId(), e.toString());
        }
        Duration beat = properties.nodeHeartbeat();
        schedules.add(Flux.interval(beat, beat)
                .onBackpressureDrop()
                .concatMap(tick -> heartbeat().onErrorResume(error -> {
                    log.warn("heartbeat of node {} failed: {}", properties.nodeId(), error.toString());
                    return Mono.empty();
                }))
                .subscribe());
        Duration refresh = properties.routeRefreshInterval();
        schedules.add(Flux.interval(refresh, refresh)
                .onBackpressureDrop()
                .concatMap(tick -> refreshAll().onErrorResume(error -> {
                    log.error("route refresh of node {} failed", properties.nodeId(), error);
                    return Mono.empty();
                }))
                .subscribe());
    }

    private Mono<Void> heartbeat() {
        return redis.opsForZSet()
                .add(RedisKeys.LIVE_NODES, properties.nodeId(), System.currentTimeMillis())
                .then();
    }

    /** Re-sets every local route, chunk by chunk, without copying the registry. */
    public Mono<Void> refreshAll() {
        Iterator<DeviceKey> devices = registry.devices();
        long started = System.nanoTime();
        return Mono.defer(() -> {
                    List<DeviceKey> chunk = new ArrayList<>(REFRESH_CHUNK);
                    while (chunk.size() < REFRESH_CHUNK && devices.hasNext()) {
                        chunk.add(devices.next());
                    }
                    if (chunk.isEmpty()) {
                        return Mono.just(false);
                    }
                    return Mono.fromFuture(routes.refresh(chunk)).thenReturn(true);
                })
                .repeat()
                .takeUntil(more -> !more)
                .then(Mono.fromRunnable(() -> log.debug("routes of node {} refreshed in {} ms", properties.nodeId(),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))));
    }

    /**
     * Leaves the cluster: stops the heartbeat, removes the node from {@code h:nodes}, refuses new
     * handshakes, sends DISCONNECT SERVER_SHUTDOWN to every connection and removes their routes.
     * Each step is bounded by {@code shutdown-timeout}; a failed step is logged and the next runs.
     */
    public void leave() {
        Duration timeout = properties.shutdownTimeout();
        schedules.dispose();
        try {
            redis.opsForZSet().remove(RedisKeys.LIVE_NODES, properties.nodeId()).block(timeout);
        } catch (RuntimeException e) {
            log.warn("could not remove node {} from {}: {}", properties.nodeId(), RedisKeys.LIVE_NODES, e.toString());
        }
        registry.close();
        int connections = registry.connectionCount();
        await("disconnect " + connections + " connections",
                registry.disconnectAll(ErrorCode.SERVER_SHUTDOWN, "node " + properties.nodeId() + " is shutting down"),
                timeout);
        // Closed connections removed their routes on the way out; whatever is still registered did
        // not close in time and loses its route here.
        Iterator<DeviceKey> left = registry.devices();
        while (left.hasNext()) {
            DeviceKey device = left.next();
            routes.offline(device.appId(), device.deviceId());
        }
        await("remove routes", routes.flush(), timeout);
        log.info("access node {} left: {} connections closed", properties.nodeId(), connections);
    }

    private void await(String step, CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("shutdown of node {}: could not {} within {}", properties.nodeId(), step, timeout);
        } catch (ExecutionException e) {
            log.warn("shutdown of node {}: could not {}", properties.nodeId(), step, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
