package dev.herald.dispatcher.fanout;

import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import io.lettuce.core.XAddArgs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link FanoutPlan} in one pipelined round: the delivery commands (one XADD per node to its capped
 * stream, holding all of the batch's commands for it) and the status changes (one script per status slot),
 * issued together in one write on the fan-out pipeline and awaited together.
 */
@Component
final class DeliveryWriter {

    /**
     * Cap of each node's delivery stream, in entries (one per dispatched batch and node); a node that is this
     * far behind has lost its connections anyway.
     */
    static final long DELIVERY_STREAM_MAX_LEN = 10_000;

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

    /**
     * One XADD per node for all of the batch's commands to it (in plan order), one status script per group
     * of messages that share a status slot (the messages of one send request do).
     */
    private CompletableFuture<Void> issue(FanoutPlan plan) {
        Map<String, List<DeliveryCommand>> byNode = new LinkedHashMap<>();
        for (FanoutPlan.NodeCommand c : plan.commands()) {
            byNode.computeIfAbsent(c.nodeId(), node -> new ArrayList<>()).add(c.command());
        }
        Map<String, List<FanoutPlan.StatusChange>> bySlot = new LinkedHashMap<>();
        int dropped = 0;
        int expired = 0;
        for (FanoutPlan.StatusChange change : plan.statusChanges()) {
            bySlot.computeIfAbsent(RedisKeys.statusTag(change.messageId()), tag -> new ArrayList<>()).add(change);
            dropped += change.dropped();
            expired += change.expired() ? 1 : 0;
        }
        int droppedTargets = dropped;
        int expiredMessages = expired;
        return pipeline.submit(commands -> {
            List<CompletableFuture<?>> writes = new ArrayList<>(byNode.size() + bySlot.size());
            byNode.forEach((node, nodeCommands) -> writes.add(commands.xadd(RedisKeys.deliveries(node), CAPPED,
                    Map.of(RedisKeys.DELIVERIES_FIELD, json.writeValueAsString(nodeCommands))).toCompletableFuture()));
            for (List<FanoutPlan.StatusChange> changes : bySlot.values()) {
                writes.add(DispatchedStatuses.write(commands, changes));
            }
            return RedisPipeline.allOf(writes.toArray(CompletableFuture<?>[]::new)).thenRun(() -> {
                commandsWritten.increment(plan.commands().size());
                targetsDropped.increment(droppedTargets);
                messagesExpired.increment(expiredMessages);
            });
        });
    }
}
