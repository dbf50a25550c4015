package dev.herald.chatroom.sequencer;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * Who is the cell's one room sequencer: a lease in Redis ({@code SET h:room-sequencer:{cell} <instance> NX PX ttl},
 * renewed by its holder every third of the TTL). Several chatroom-service instances may run; one orders every room
 * of the cell, the others wait and take over within one TTL when it stops or dies. A holder that cannot renew in
 * time stops ordering before the lease can pass on.
 *
 * <p>Why not Curator's {@code LeaderLatch}: the chatroom-service also runs without ZooKeeper (Redis only, see
 * {@code LiveNodesConfiguration}), and the latch exists only with it; a latch beside this lease would be two
 * elections with different take-over timing (ZooKeeper's session time-out against this TTL) for one job. The lease
 * lives in the Redis that holds the intake it guards, so both modes elect the same way.
 */
@Component
public final class SequencerLease {

    private static final Logger log = LoggerFactory.getLogger(SequencerLease.class);

    private static final RedisScript<Long> RENEW = RedisScript.of("""
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
            return 0
            """, Long.class);
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String key;
    private final String instanceId;
    private final Duration ttl;
    private volatile long heldUntilNanos;

    public SequencerLease(ReactiveStringRedisTemplate redis, ChatroomProperties properties) {
        this.redis = redis;
        this.key = RedisKeys.roomSequencer(properties.cell());
        this.instanceId = properties.instanceId();
        this.ttl = properties.leaseTtl();
    }

    /** Takes or renews the lease; returns whether this instance holds it now. Blocking, bounded by the TTL. */
    boolean acquireOrRenew() {
        long started = System.nanoTime();
        try {
            boolean held;
            if (held()) {
                Long renewed = redis.execute(RENEW, List.of(key), List.of(instanceId, String.valueOf(ttl.toMillis())))
                        .next().block(ttl);
                held = renewed != null && renewed == 1;
            } else {
                Boolean set = redis.opsForValue().setIfAbsent(key, instanceId, ttl).block(ttl);
                held = Boolean.TRUE.equals(set);
                if (held) {
                    log.info("{} is the room sequencer of {} now", instanceId, key);
                }
            }
            // Counted from before the command: the lease may have been set up to one round trip earlier.
            heldUntilNanos = held ? started + ttl.toNanos() * 2 / 3 : 0;
            return held;
        } catch (RuntimeException e) {
            log.warn("sequencer lease {} could not be renewed: {}", key, e.toString());
            return held();
        }
    }

    /** Whether this instance surely still holds the lease (with a third of the TTL as margin). */
    boolean held() {
        long until = heldUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    /** Gives the lease up (on shutdown), so another instance takes over at once. */
    void release() {
        heldUntilNanos = 0;
        try {
            redis.execute(RELEASE, List.of(key), List.of(instanceId)).next().block(ttl);
        } catch (RuntimeException e) {
            log.warn("sequencer lease {} could not be released; it expires by itself: {}", key, e.toString());
        }
    }

    Duration renewEvery() {
        return ttl.dividedBy(3);
    }
}
