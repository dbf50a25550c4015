package dev.herald.access.delivery;

import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Adds what this node counted to messages' status hashes: the connections a broadcast was written to
 * ({@code targets}) and the devices that acknowledged a message ({@code delivered}, see
 * {@link dev.herald.access.offline.AckForwarder}). One pipelined write per batch on the node's Redis pipeline,
 * one script per status slot, not awaited: a lost increment only makes a statistic low, so it is logged and
 * never retried or allowed to slow delivery.
 */
@Component
public final class StatusCounters {

    private static final Logger log = LoggerFactory.getLogger(StatusCounters.class);

    /**
     * Counts only into existing statuses (an expired status must not come back without its TTL). KEYS: status
     * hashes of one slot; ARGV[1] field, then one amount per key.
     */
    public static final LuaScript INCREMENT_IF_PRESENT = LuaScript.of("""
            local counted = 0
            for i = 1, #KEYS do
              if redis.call('exists', KEYS[i]) == 1 then
                redis.call('hincrby', KEYS[i], ARGV[1], ARGV[i + 1])
                counted = counted + 1
              end
            end
            return counted
            """);

    private final RedisPipeline pipeline;

    public StatusCounters(RedisPipeline pipeline) {
        this.pipeline = pipeline;
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
        if (keysBySlot.isEmpty()) {
            return;
        }
        try {
            pipeline.submit(commands -> {
                List<CompletableFuture<?>> writes = new ArrayList<>(keysBySlot.size());
                keysBySlot.forEach((tag, keys) -> writes.add(INCREMENT_IF_PRESENT.<Long>eval(commands,
                        ScriptOutputType.INTEGER, keys, argsBySlot.get(tag))));
                return RedisPipeline.allOf(writes.toArray(CompletableFuture<?>[]::new));
            }).whenComplete((done, error) -> {
                if (error != null) {
                    log.warn("could not add {} of {} status slots: {}", field, keysBySlot.size(), error.toString());
                }
            });
        } catch (RuntimeException e) {
            // Redis not reachable at all (the pipeline could not connect): a statistic is lost, delivery goes on.
            log.warn("could not add {} of {} status slots: {}", field, keysBySlot.size(), e.toString());
        }
    }
}
