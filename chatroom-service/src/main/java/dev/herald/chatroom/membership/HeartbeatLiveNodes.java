package dev.herald.chatroom.membership;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.config.ConditionalOnNoZooKeeper;
import dev.herald.core.redis.RedisKeys;
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
 * Live nodes without ZooKeeper: those whose heartbeat in {@code h:nodes} is within {@code node-liveness}, the same
 * rule the dispatcher uses, refreshed every second. Trusted only after a refresh succeeded and while they do.
 */
@Component
@ConditionalOnNoZooKeeper
public final class HeartbeatLiveNodes implements LiveNodes, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatLiveNodes.class);
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final Duration liveness;
    private volatile Set<String> live = Set.of();
    private volatile boolean fresh;
    private volatile Disposable refresher;

    public HeartbeatLiveNodes(ReactiveStringRedisTemplate redis, ChatroomProperties properties) {
        this.redis = redis;
        this.liveness = properties.nodeLiveness();
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
        double oldest = System.currentTimeMillis() - liveness.toMillis();
        return redis.opsForZSet().rangeByScore(RedisKeys.LIVE_NODES, Range.rightUnbounded(Range.Bound.inclusive(oldest)))
                .collect(HashSet<String>::new, Set::add)
                .map(Set::copyOf)
                .doOnNext(nodes -> {
                    live = nodes;
                    fresh = true;
                });
    }

    @Override
    public void start() {
        refresher = Flux.interval(Duration.ZERO, REFRESH_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> refresh().onErrorResume(e -> {
                    if (fresh) {
                        log.warn("live node refresh failed; no purge until it works again: {}", e.toString());
                    }
                    fresh = false;
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
}
