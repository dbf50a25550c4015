package dev.herald.dispatcher.route;

import dev.herald.config.ConditionalOnNoZooKeeper;
import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.DispatcherProperties;
import java.time.Duration;
import java.util.HashSet;
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
 * Live nodes without ZooKeeper: those whose heartbeat in {@code h:nodes} is within
 * {@code node-liveness}, as a snapshot refreshed every second in the background, so a batch never waits
 * on it. Not cell-aware: every access node sharing the Redis counts.
 */
@Component
@ConditionalOnNoZooKeeper
public final class HeartbeatLiveNodes implements LiveNodes, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatLiveNodes.class);
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(1);
    private static final Duration INITIAL_LOAD_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveStringRedisTemplate redis;
    private final Duration nodeLiveness;
    private volatile Set<String> liveNodes = Set.of();
    private volatile boolean refreshFailing;
    private volatile Disposable refresher;

    public HeartbeatLiveNodes(ReactiveStringRedisTemplate redis, DispatcherProperties properties) {
        this.redis = redis;
        this.nodeLiveness = properties.nodeLiveness();
    }

    @Override
    public Set<String> current() {
        return liveNodes;
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
