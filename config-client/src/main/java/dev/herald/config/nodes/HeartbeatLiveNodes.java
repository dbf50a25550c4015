package dev.herald.config.nodes;

import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Live nodes without ZooKeeper: those whose heartbeat in {@code h:nodes} is within {@code liveness}, as a set
 * refreshed every second in the background, so a reader never waits on Redis. The first load happens in
 * {@link #start()} (bounded), so what starts after this source finds the set loaded. Not cell-aware: every
 * access node sharing the Redis counts. {@link #trustworthy()} only while the last refresh succeeded.
 */
public final class HeartbeatLiveNodes implements LiveNodes, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatLiveNodes.class);
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(1);
    private static final Duration INITIAL_LOAD_TIMEOUT = Duration.ofSeconds(5);

    private final ReactiveStringRedisTemplate redis;
    private final Duration liveness;
    private volatile Set<String> live = Set.of();
    /** Whether the last refresh succeeded. */
    private volatile boolean fresh;
    /** Whether a failure has been logged and its recovery has not. */
    private volatile boolean failing;
    private volatile Disposable refresher;

    /** @param liveness a node is live while its last heartbeat is at most this old ({@code node-liveness}) */
    public HeartbeatLiveNodes(ReactiveStringRedisTemplate redis, Duration liveness) {
        this.redis = redis;
        this.liveness = liveness;
    }

    @Override
    public Set<String> current() {
        return live;
    }

    @Override
    public boolean trustworthy() {
        return fresh;
    }

    Mono<Set<String>> refresh() {
        double oldestLiveHeartbeat = System.currentTimeMillis() - liveness.toMillis();
        return redis.opsForZSet()
                .rangeByScore(RedisKeys.LIVE_NODES, Range.rightUnbounded(Range.Bound.inclusive(oldestLiveHeartbeat)))
                .collect(HashSet<String>::new, Set::add)
                .map(Set::copyOf)
                .doOnNext(this::loaded);
    }

    private void loaded(Set<String> nodes) {
        if (!nodes.equals(live)) {
            log.info("live access nodes: {}", nodes);
        }
        live = nodes;
        fresh = true;
        if (failing) {
            failing = false;
            log.info("live node refresh recovered");
        }
    }

    private void failed(Throwable e) {
        fresh = false;
        if (!failing) {
            failing = true;
            log.warn("live node refresh failed; keeping the last set, not trusted until a refresh works: {}",
                    e.toString());
        }
    }

    @Override
    public void start() {
        try {
            refresh().block(INITIAL_LOAD_TIMEOUT);
        } catch (RuntimeException e) {
            // Not fatal: the background refresh keeps trying; until it succeeds the set is empty and untrusted.
            failed(e);
        }
        refresher = Flux.interval(REFRESH_EVERY, REFRESH_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    failed(e);
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
