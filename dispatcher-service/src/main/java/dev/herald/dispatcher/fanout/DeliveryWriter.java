package dev.herald.dispatcher.fanout;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.XAddArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link FanoutPlan} in one pipelined round: every delivery command (XADD to its node's capped
 * stream) and every status change, issued together in one write on the fan-out pipeline and awaited together.
 */
@Component
final class DeliveryWriter {

    /** Cap of each node's delivery stream; a node that is this far behind has lost its connections anyway. */
    static final long DELIVERY_STREAM_MAX_LEN = 100_000;

    private static final XAddArgs CAPPED = new XAddArgs().maxlen(DELIVERY_STREAM_MAX_LEN).approximateTrimming();

    private final RedisPipeline pipeline;
    private final JsonMapper json;
    private final Counter commandsWritten;
    private final Counter targetsDropped;
    private final Counter messagesExpired;

    DeliveryWriter(RedisPipeline pipeline, JsonMapper json, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.json = json;
        this.commandsWritten = Counter.builder("herald.dispatcher.deliveries")
                .description("Delivery commands written to access nodes' streams: one per (message, node)").register(meters);
        this.targetsDropped = Counter.builder("herald.dispatcher.targets.dropped")
                .description("Online-only target devices that were not connected").register(meters);
        this.messagesExpired = Counter.builder("herald.dispatcher.messages.expired")
                .description("Messages that had expired before they could be dispatched").register(meters);
    }

    /** Issues the plan's writes once {@code turn} is reached, then passes it on; completes when Redis has them all. */
    Mono<Void> write(FanoutPlan plan, WriteTurn turn) {
        return turn.reached().then(Mono.fromFuture(() -> {
            try {
                return issue(plan);
            } finally {
                turn.pass();
            }
        }));
    }

    private CompletableFuture<Void> issue(FanoutPlan plan) {
        return pipeline.submit(commands -> {
            List<CompletableFuture<?>> writes = new ArrayList<>(plan.commands().size() + 3 * plan.statusChanges().size());
            for (FanoutPlan.NodeCommand c : plan.commands()) {
                writes.add(commands.xadd(RedisKeys.deliveries(c.nodeId()), CAPPED,
                        Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(c.command()))).toCompletableFuture());
            }
            int dropped = 0;
            int expired = 0;
            for (FanoutPlan.StatusChange s : plan.statusChanges()) {
                String key = RedisKeys.status(s.messageId());
                writes.add(commands.hset(key, MessageStatus.STATE, MessageStatus.STATE_DISPATCHED).toCompletableFuture());
                if (s.dropped() > 0) {
                    writes.add(commands.hincrby(key, MessageStatus.DROPPED, s.dropped()).toCompletableFuture());
                    dropped += s.dropped();
                }
                if (s.expiredTargets() > 0) {
                    writes.add(commands.hincrby(key, MessageStatus.EXPIRED, s.expiredTargets()).toCompletableFuture());
                }
                if (s.expired()) {
                    expired++;
                }
                // Same deadline push-api gives the hash; set again so a write here never leaves a key without one.
                writes.add(commands.pexpireat(key, s.expiresAt() + MessageStatus.RETENTION_AFTER_EXPIRY_MS)
                        .toCompletableFuture());
            }
            int droppedTargets = dropped;
            int expiredMessages = expired;
            return RedisPipeline.allOf(writes.toArray(CompletableFuture<?>[]::new)).thenRun(() -> {
                commandsWritten.increment(plan.commands().size());
                targetsDropped.increment(droppedTargets);
                messagesExpired.increment(expiredMessages);
            });
        });
    }
}
