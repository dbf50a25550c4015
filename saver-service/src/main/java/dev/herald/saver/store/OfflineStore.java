package dev.herald.saver.store;

import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.offline.OfflineApi.StoreResponse;
import dev.herald.core.offline.OfflineApi.Stored;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.OfflineWrites;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The saver's store API: keeps messages for devices that are not connected, with the offline-store library's
 * writes ({@link OfflineWrites}), the same ones the dispatcher runs in its own pipeline. Four pipelined rounds
 * per request, each awaited so that it is also correct on a cluster: broadcast seqs, bodies, indexes, then
 * the {@code stored} counters of what was new.
 */
@Component
public final class OfflineStore {

    private static final Logger log = LoggerFactory.getLogger(OfflineStore.class);

    private final RedisPipeline pipeline;
    private final OfflineWrites writes;
    private final OfflineCommands redis;
    private final OfflineMetrics metrics;
    private final Clock clock;

    OfflineStore(RedisPipeline pipeline, OfflineWrites writes, OfflineCommands redis, OfflineMetrics metrics,
                 Clock clock) {
        this.pipeline = pipeline;
        this.writes = writes;
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Stores the entries. Entries already expired are skipped and absent from the response; the
     * response lists every other entry, with its broadcast seq (0 for unicasts).
     */
    public Mono<StoreResponse> store(List<StoreEntry> entries) {
        long now = clock.millis();
        List<StoreEntry> live = OfflineWrites.storable(entries, now);
        if (live.isEmpty()) {
            return Mono.just(new StoreResponse(List.of()));
        }
        return Mono.fromFuture(() -> pipeline.submit(c -> writes.broadcastSeqs(c, live)))
                .flatMap(seqs -> Mono.fromFuture(() -> pipeline.submit(c -> writes.writeBodies(c, live, seqs, now)))
                        .then(Mono.fromFuture(() -> pipeline.submit(c -> writes.index(c, live, seqs))))
                        .flatMap(newCounts -> countStored(live, newCounts))
                        .thenReturn(response(live, seqs)));
    }

    /** The {@code stored} counters: one increment per message with anything new (one script per status slot). */
    private Mono<Void> countStored(List<StoreEntry> entries, Map<String, Integer> storedCounts) {
        long total = 0;
        List<OfflineCommands.StatusIncrement> stored = new ArrayList<>(storedCounts.size());
        for (StoreEntry e : entries) {
            Integer n = storedCounts.get(e.messageId());
            if (n != null) {
                total += n;
                stored.add(new OfflineCommands.StatusIncrement(e.messageId(), n,
                        e.expiresAt() + MessageStatus.RETENTION_AFTER_EXPIRY_MS));
            }
        }
        long newlyStored = total;
        return RedisRounds.all(redis.incrementStatuses(MessageStatus.STORED, stored)).doOnSuccess(r -> {
            metrics.stored(newlyStored);
            log.debug("Stored {} messages, {} new device entries or broadcasts", entries.size(), newlyStored);
        }).then();
    }

    private static StoreResponse response(List<StoreEntry> entries, Map<String, Long> seqs) {
        return new StoreResponse(entries.stream()
                .map(e -> new Stored(e.messageId(), seqs.getOrDefault(e.messageId(), 0L)))
                .toList());
    }
}
