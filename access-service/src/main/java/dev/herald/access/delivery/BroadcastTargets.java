package dev.herald.access.delivery;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.RedisKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Adds the number of local connections a broadcast was written to to its status hash
 * ({@code targets}). One pipelined round per delivery batch, not awaited: a lost increment only
 * makes a statistic low, so it is logged and never retried or allowed to slow delivery.
 */
@Component
public final class BroadcastTargets {

    private static final Logger log = LoggerFactory.getLogger(BroadcastTargets.class);

    /** Counts only into an existing status: an expired status must not come back without its TTL. */
    private static final RedisScript<Long> INCREMENT_IF_PRESENT = RedisScript.of("""
            if redis.call('exists', KEYS[1]) == 1 then
              return redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;

    public BroadcastTargets(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** @param targets message id → connections written to (entries with 0 are skipped) */
    void add(Map<String, Integer> targets) {
        List<Mono<Long>> commands = new ArrayList<>(targets.size());
        targets.forEach((messageId, count) -> {
            if (count > 0) {
                commands.add(redis.execute(INCREMENT_IF_PRESENT, List.of(RedisKeys.status(messageId)),
                        List.of(MessageStatus.TARGETS, String.valueOf(count))).next());
            }
        });
        if (commands.isEmpty()) {
            return;
        }
        Flux.fromIterable(commands)
                .flatMap(command -> command, commands.size())
                .subscribe(null, error -> log.warn("could not add broadcast targets of {} messages: {}",
                        commands.size(), error.toString()));
    }
}
