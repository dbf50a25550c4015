package dev.herald.access.delivery;

import dev.herald.protocol.MessageId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The meters of pushes written to devices and acknowledged by them (docs/operations.md has the node's whole
 * taxonomy): {@code herald.access.messages.pushed{kind=live|replay}}: PUSH frames written;
 * {@code herald.access.delivery.latency}: from acceptance by push-api (the message id's time) to the live PUSH
 * being written; {@code herald.access.acks}: message ids acknowledged by devices; {@code herald.access.ack.latency}:
 * from a live PUSH being written to its ACK arriving.
 */
@Component
public final class PushMeters {

    private final Counter livePushes;
    private final Counter replayedPushes;
    private final Counter acks;
    private final Timer deliveryLatency;
    private final Timer ackLatency;
    /** When each recent live message was written ({@link System#nanoTime()}), so that its ACKs can be timed. */
    private final RecentlyWritten<Long> recentPushes = new RecentlyWritten<>(16_384);

    public PushMeters(MeterRegistry registry) {
        this.livePushes = pushes(registry, "live");
        this.replayedPushes = pushes(registry, "replay");
        this.acks = Counter.builder("herald.access.acks")
                .description("Message ids acknowledged by devices")
                .register(registry);
        this.deliveryLatency = Timer.builder("herald.access.delivery.latency")
                .description("From acceptance by push-api to the live PUSH being written by this node")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        this.ackLatency = Timer.builder("herald.access.ack.latency")
                .description("From a live PUSH being written to the device's ACK arriving")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }

    private static Counter pushes(MeterRegistry registry, String kind) {
        return Counter.builder("herald.access.messages.pushed")
                .description("PUSH frames written to connections: live, or replayed from the offline store")
                .tag("kind", kind)
                .register(registry);
    }

    public void livePushes(int count) {
        livePushes.increment(count);
    }

    public void replayedPushes(int count) {
        replayedPushes.increment(count);
    }

    /** A live message was handed to its local connections for writing. */
    public void liveMessageWritten(MessageId id) {
        long now = System.currentTimeMillis();
        deliveryLatency.record(Math.max(0, now - id.epochMillis()), TimeUnit.MILLISECONDS);
        recentPushes.put(id, System.nanoTime());
    }

    /** Devices acknowledged {@code ids}; those written live recently are timed. */
    public void acked(List<MessageId> ids) {
        acks.increment(ids.size());
        long now = System.nanoTime();
        for (MessageId id : ids) {
            Long writtenAt = recentPushes.get(id);
            if (writtenAt != null) {
                ackLatency.record(Math.max(0, now - writtenAt), TimeUnit.NANOSECONDS);
            }
        }
    }
}
