package dev.herald.access.mqtt;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.access.delivery.StatusCounters;
import dev.herald.access.session.EncodedPush;
import dev.herald.core.message.MessageStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The MQTT connections' {@link PublishQueue}s: their bound ({@code herald.access.mqtt.*}), and what is
 * counted when one has no room. An online-only push that is dropped is lost for its device: it is
 * counted in its message's status ({@code dropped}, where the dispatcher counts the targets that were
 * not connected) and in {@code herald.access.mqtt.dropped}. A stored push left to the backlog is not
 * lost, only late: {@code herald.access.mqtt.deferred}. Status increments within {@code ack-batch-window}
 * go to Redis together, one per message, not awaited (as {@code delivered} is).
 */
@Component
public final class PublishQueues {

    private static final int MAX_DROPS_PER_ROUND = 100_000;

    private final int maxMessages;
    private final long maxBytes;
    private final Counter droppedMeter;
    private final Counter deferredMeter;
    private final StatusCounters counters;
    private final Batcher<String> dropped;

    public PublishQueues(AccessProperties properties, MeterRegistry meters, StatusCounters counters) {
        this.maxMessages = properties.mqtt().queueMaxMessages();
        this.maxBytes = properties.mqtt().queueMaxBytes().toBytes();
        this.droppedMeter = Counter.builder("herald.access.mqtt.dropped")
                .description("Online-only pushes an MQTT connection never sent: no room in its full queue, or "
                        + "still queued when it closed")
                .register(meters);
        this.deferredMeter = Counter.builder("herald.access.mqtt.deferred")
                .description("Stored pushes a full MQTT queue left to the device's backlog (sent on its next "
                        + "connection)")
                .register(meters);
        this.counters = counters;
        this.dropped = new Batcher<>("mqtt dropped", properties.ackBatchWindow(), MAX_DROPS_PER_ROUND, 1,
                this::countDropped, Schedulers.parallel());
    }

    /** A new, empty queue for one connection. */
    PublishQueue create() {
        return new PublishQueue(maxMessages, maxBytes);
    }

    /** An online-only push that a connection will never send. */
    void dropped(EncodedPush push) {
        droppedMeter.increment();
        dropped.add(push.push().messageId().toString());
    }

    /** A stored push a connection did not take: the device gets it with its backlog next time. */
    void leftToBacklog(EncodedPush push) {
        deferredMeter.increment();
    }

    private Mono<Void> countDropped(List<String> messageIds) {
        return Mono.fromRunnable(() -> {
            Map<String, Integer> counts = new HashMap<>();
            messageIds.forEach(id -> counts.merge(id, 1, Integer::sum));
            counters.add(MessageStatus.DROPPED, counts);
        });
    }
}
