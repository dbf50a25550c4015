package dev.herald.saver.store;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.saver.SaverProperties;
import dev.herald.saver.store.OfflineCommands.AckSettings;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Records what devices acknowledged: removes the ids from their pending sets, moves their broadcast
 * cursors forward and counts {@code delivered}. Two pipelined rounds per batch: one script per
 * device ack, then one status increment per acknowledged message (one script per status slot).
 *
 * <p>{@code delivered} counts each (device, message) pair once. An id removed from the device's
 * pending set is clearly a first acknowledgement; but online-only unicasts and broadcasts were never
 * pending, and telling them apart would cost a read per id. So every acknowledged id also goes into
 * a short-lived per-device set of acknowledged ids ({@code h:acked:{app:device}}, kept for
 * {@code ack-dedup-window}, at most {@code ack-dedup-size} ids): an id counts when it left the
 * pending set or was not in that set yet. A client re-sending an ACK (after a reconnect, say) within
 * the window is therefore not counted twice, and the same set stops a store re-sent by a recovering
 * dispatcher from queueing an already-delivered message again.
 */
@Component
public final class AckRecorder {

    private static final Logger log = LoggerFactory.getLogger(AckRecorder.class);

    private final OfflineCommands redis;
    private final OfflineMetrics metrics;
    private final AckSettings settings;
    private final Clock clock;

    AckRecorder(OfflineCommands redis, OfflineMetrics metrics, SaverProperties properties, Clock clock) {
        this.redis = redis;
        this.metrics = metrics;
        this.settings = new AckSettings(properties.ackDedupWindow().toMillis(), properties.ackDedupSize(),
                properties.cursorTtl().toMillis());
        this.clock = clock;
    }

    public Mono<Void> ack(List<DeviceAck> acks) {
        long now = clock.millis();
        List<Mono<List<String>>> round = acks.stream()
                .filter(a -> !a.messageIds().isEmpty() || a.cursor() > 0)
                .map(a -> redis.acknowledge(a.appId(), a.deviceId(), a.messageIds(), a.cursor(), settings, now))
                .toList();
        return RedisRounds.all(round).flatMap(firstAcks -> {
            Map<String, Integer> delivered = new LinkedHashMap<>();
            firstAcks.forEach(ids -> ids.forEach(id -> delivered.merge(id, 1, Integer::sum)));
            List<OfflineCommands.StatusIncrement> increments = new ArrayList<>(delivered.size());
            // The status hash normally has its lifetime from push-api; this one only applies if not.
            long expireAtIfNone = now + MessageStatus.RETENTION_AFTER_EXPIRY_MS;
            delivered.forEach((id, n) -> increments.add(new OfflineCommands.StatusIncrement(id, n, expireAtIfNone)));
            List<Mono<Long>> counters = redis.incrementStatuses(MessageStatus.DELIVERED, increments);
            long total = delivered.values().stream().mapToLong(Integer::longValue).sum();
            return RedisRounds.all(counters).doOnSuccess(r -> {
                metrics.acked(total);
                log.debug("Recorded {} device acks: {} first acknowledgements", acks.size(), total);
            });
        }).then();
    }
}
