package dev.herald.saver.store;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.OfflineAcks;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The saver's ACK endpoint: records what devices acknowledged with the offline-store library's
 * {@link OfflineAcks} (the same script access nodes run in their own pipeline), then counts {@code delivered},
 * one increment per acknowledged message (one script per status slot). Two pipelined rounds per request.
 */
@Component
public final class AckRecorder {

    private static final Logger log = LoggerFactory.getLogger(AckRecorder.class);

    private final RedisPipeline pipeline;
    private final OfflineAcks acks;
    private final OfflineCommands redis;
    private final OfflineMetrics metrics;
    private final Clock clock;

    AckRecorder(RedisPipeline pipeline, OfflineAcks acks, OfflineCommands redis, OfflineMetrics metrics, Clock clock) {
        this.pipeline = pipeline;
        this.acks = acks;
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Mono<Void> ack(List<DeviceAck> deviceAcks) {
        long now = clock.millis();
        return Mono.fromFuture(() -> pipeline.submit(c -> acks.acknowledge(c, deviceAcks, now))).flatMap(delivered -> {
            List<OfflineCommands.StatusIncrement> increments = new ArrayList<>(delivered.size());
            // The status hash normally has its lifetime from push-api; this one only applies if not.
            long expireAtIfNone = now + MessageStatus.RETENTION_AFTER_EXPIRY_MS;
            delivered.forEach((id, n) -> increments.add(new OfflineCommands.StatusIncrement(id, n, expireAtIfNone)));
            long total = delivered.values().stream().mapToLong(Integer::longValue).sum();
            return RedisRounds.all(redis.incrementStatuses(MessageStatus.DELIVERED, increments)).doOnSuccess(r -> {
                metrics.acked(total);
                log.debug("Recorded {} device acks: {} first acknowledgements", deviceAcks.size(), total);
            });
        }).then();
    }
}
