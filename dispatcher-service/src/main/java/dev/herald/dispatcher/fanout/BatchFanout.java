package dev.herald.dispatcher.fanout;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.offline.SaverClient;
import dev.herald.dispatcher.route.RouteTable;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns a batch of intake messages into deliveries, in a fixed number of rounds whatever the batch size:
 * one saver request for every offline-flagged message, one pipelined round of route GETs, one pipelined
 * round of XADDs and status writes.
 *
 * <p>The saver goes first. Nothing is delivered before the offline copies exist, and routes read after
 * the store also see devices that connected meanwhile: such a device either fetched its backlog after
 * the store (and finds the message there) or set its route before it (and is delivered to now).
 */
@Component
public final class BatchFanout {

    private final SaverClient saver;
    private final RouteTable routes;
    private final DeliveryWriter writer;
    private final Counter saverFailures;

    BatchFanout(SaverClient saver, RouteTable routes, DeliveryWriter writer, MeterRegistry meters) {
        this.saver = saver;
        this.routes = routes;
        this.writer = writer;
        this.saverFailures = Counter.builder("herald.dispatcher.saver.failures")
                .description("Store requests to the saver that failed; their batch is retried").register(meters);
    }

    /**
     * Completes once every command and status change of the batch is written; fails, having written
     * nothing, when the saver cannot store the offline-flagged messages. The writes are issued in
     * {@code turn}, which is passed however the batch ends.
     */
    public Mono<Void> dispatch(List<IntakeMessage> messages, WriteTurn turn) {
        return Mono.defer(() -> {
            long now = System.currentTimeMillis();
            return store(FanoutPlan.storeEntries(messages, now))
                    .flatMap(broadcastSeqs -> routes.liveRoutes(FanoutPlan.deviceTargets(messages, now))
                            .map(live -> FanoutPlan.of(messages, live, broadcastSeqs, routes.liveNodes(), now)))
                    .flatMap(plan -> writer.write(plan, turn));
        }).doFinally(signal -> turn.pass());
    }

    /** Stores the entries in one request; yields the broadcast seqs the saver assigned, by message id. */
    private Mono<Map<String, Long>> store(List<OfflineApi.StoreEntry> entries) {
        if (entries.isEmpty()) {
            return Mono.just(Map.of());
        }
        return saver.store(new OfflineApi.StoreRequest(entries))
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("saver answered a store with no body")))
                .map(response -> broadcastSeqs(entries, response))
                .onErrorMap(e -> {
                    saverFailures.increment();
                    return new StoreFailedException(entries.size(), e);
                });
    }

    private static Map<String, Long> broadcastSeqs(List<OfflineApi.StoreEntry> entries, OfflineApi.StoreResponse response) {
        Map<String, Long> seqs = new HashMap<>();
        for (OfflineApi.Stored stored : response.stored()) {
            if (stored.broadcastSeq() > 0) {
                seqs.put(stored.messageId(), stored.broadcastSeq());
            }
        }
        for (OfflineApi.StoreEntry entry : entries) {
            if (entry.broadcast() && !seqs.containsKey(entry.messageId())) {
                throw new IllegalStateException("saver assigned no broadcast seq to " + entry.messageId());
            }
        }
        return seqs;
    }
}
