package dev.herald.access.delivery;

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
 * Adds what this node counted for broadcasts to their status hashes: the connections each was written to
 * ({@code targets}) and the devices that acknowledged it ({@code delivered}, see
 * {@link dev.herald.access.offline.AckForwarder}). One pipelined round per batch, one increment per message,
 * not awaited: a lost increment only makes a statistic low, so it is logged and never retried or allowed
 * to slow delivery.
 */
@Component
public final class StatusCounters {

    private static final Logger log = LoggerFactory.getLogger(StatusCounters.class);

    /** Counts only into an existing status: an expired status must not come back without its TTL. */
    private static final RedisScript<Long> INCREMENT_IF_PRESENT = RedisScript.of("""
            if redis.call('exists', KEYS[1]) == 1 then
              return redis.call('hincrby', KEYS[1], ARGV[1], ARGV[2])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;

    public StatusCounters(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * @param field  the status field ({@code targets}, {@code delivered})
     * @param counts message id → amount to add (entries with 0 are skipped)
     */
    public void add(String field, Map<String, Integer> counts) {
        List<Mono<Long>> commands = new ArrayList<>(counts.size());
        counts.forEach((messageId, count) -> {
            if (count > 0) {
                commands.add(redis.execute(INCREMENT_IF_PRESENT, List.of(RedisKeys.status(messageId)),
                        List.of(field, String.valueOf(count))).next());
            }
        });
        if (commands.isEmpty()) {
            return;
        }
        Flux.fromIterable(commands)
                .flatMap(command -> command, commands.size())
                .subscribe(null, error -> log.warn("could not add {} of {} messages: {}", field, commands.size(),
                        error.toString()));
    }
}
