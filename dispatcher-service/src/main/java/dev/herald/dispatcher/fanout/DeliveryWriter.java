package dev.herald.dispatcher.fanout;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link FanoutPlan} in one pipelined round: every delivery command (XADD to its node's capped
 * stream) and every status change, issued together on the shared connection and awaited together.
 */
@Component
final class DeliveryWriter {

    /** Cap of each node's delivery stream; a node that is this far behind has lost its connections anyway. */
    static final long DELIVERY_STREAM_MAX_LEN = 100_000;

    private static final XAddOptions CAPPED = XAddOptions.maxlen(DELIVERY_STREAM_MAX_LEN).approximateTrimming(true);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final Counter commandsWritten;
    private final Counter targetsDropped;
    private final Counter messagesExpired;

    DeliveryWriter(ReactiveStringRedisTemplate redis, JsonMapper json, MeterRegistry meters) {
        this.redis = redis;
        this.json = json;
        this.commandsWritten = Counter.builder("herald.dispatcher.deliveries")
                .description("Delivery commands written to access nodes' streams: one per (message, node)").register(meters);
        this.targetsDropped = Counter.builder("herald.dispatcher.targets.dropped")
                .description("Online-only target devices that were not connected").register(meters);
        this.messagesExpired = Counter.builder("herald.dispatcher.messages.expired")
                .description("Messages that had expired before they could be dispatched").register(meters);
    }

    Mono<Void> write(FanoutPlan plan) {
        return Mono.defer(() -> {
            List<Mono<?>> writes = new ArrayList<>(plan.commands().size() + 3 * plan.statusChanges().size());
            for (FanoutPlan.NodeCommand c : plan.commands()) {
                var record = StreamRecords.mapBacked(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(c.command())))
                        .withStreamKey(RedisKeys.deliveries(c.nodeId()));
                writes.add(redis.opsForStream().add(record, CAPPED));
            }
            int dropped = 0;
            int expired = 0;
            for (FanoutPlan.StatusChange s : plan.statusChanges()) {
                String key = RedisKeys.status(s.messageId());
                writes.add(redis.opsForHash().put(key, MessageStatus.STATE, MessageStatus.STATE_DISPATCHED));
                if (s.dropped() > 0) {
                    writes.add(redis.opsForHash().increment(key, MessageStatus.DROPPED, s.dropped()));
                    dropped += s.dropped();
                }
                if (s.expiredTargets() > 0) {
                    writes.add(redis.opsForHash().increment(key, MessageStatus.EXPIRED, s.expiredTargets()));
                }
                if (s.expired()) {
                    expired++;
                }
                // Same deadline push-api gives the hash; set again so a write here never leaves a key without one.
                writes.add(redis.expireAt(key, Instant.ofEpochMilli(s.expiresAt() + MessageStatus.RETENTION_AFTER_EXPIRY_MS)));
            }
            int droppedTargets = dropped;
            int expiredMessages = expired;
            // Mono.when subscribes to every write at once, so they are pipelined rather than sent one by one.
            return Mono.when(writes).doOnSuccess(v -> {
                commandsWritten.increment(plan.commands().size());
                targetsDropped.increment(droppedTargets);
                messagesExpired.increment(expiredMessages);
            });
        });
    }
}
