package dev.herald.access.delivery;

import dev.herald.core.redis.RedisKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@link dev.herald.access.offline.AckForwarder}). One pipelined round per batch, one script per status slot,
 * not awaited: a lost increment only makes a statistic low, so it is logged and never retried or allowed
 * to slow delivery.
 */
@Component
public final class StatusCounters {

    private static final Logger log = LoggerFactory.getLogger(StatusCounters.class);

    /**
     * Counts only into existing statuses (an expired status must not come back without its TTL). KEYS: status
     * hashes of one slot; ARGV[1] field, then one amount per key.
     */
    private static final RedisScript<Long> INCREMENT_IF_PRESENT = RedisScript.of("""
            local counted = 0
            for i = 1, #KEYS do
              if redis.call('exists', KEYS[i]) == 1 then
                redis.call('hincrby', KEYS[i], ARGV[1], ARGV[i + 1])
                counted = counted + 1
              end
            end
            return counted
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
        // One script per status slot: the messages of one send request share theirs.
        Map<String, List<String>> keysBySlot = new LinkedHashMap<>();
        Map<String, List<String>> argsBySlot = new LinkedHashMap<>();
        counts.forEach((messageId, count) -> {
            if (count > 0) {
                String tag = RedisKeys.statusTag(messageId);
                keysBySlot.computeIfAbsent(tag, t -> new ArrayList<>()).add(RedisKeys.status(messageId));
                argsBySlot.computeIfAbsent(tag, t -> new ArrayList<>(List.of(field))).add(String.valueOf(count));
            }
        });
        List<Mono<Long>> commands = new ArrayList<>(keysBySlot.size());
        keysBySlot.forEach((tag, keys) -> commands.add(redis.execute(INCREMENT_IF_PRESENT, keys, argsBySlot.get(tag)).next()));
        if (commands.isEmpty()) {
            return;
        }
        Flux.fromIterable(commands)
                .flatMap(command -> command, commands.size())
                .subscribe(null, error -> log.warn("could not add {} of {} messages: {}", field, commands.size(),
                        error.toString()));
    }
}
