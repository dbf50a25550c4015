package dev.herald.dispatcher.fanout;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.dispatcher.route.AppDevice;
import dev.herald.dispatcher.route.RouteTable;
import dev.herald.offline.OfflineWrites;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Turns a batch of intake messages into deliveries in a fixed number of pipelined rounds whatever the batch
 * size: the offline copies of offline-flagged messages with the route look-ups, then the delivery XADDs with
 * the status writes (plus a first round of broadcast seqs when the batch holds offline broadcasts, and on a
 * Redis Cluster a round of bodies before the rest; see {@link OfflineWrites}).
 *
 * <p>The store goes first. Nothing is delivered before the offline copies exist, and each route GET runs after
 * its device's pending set is written (same key slot, so same server, in issue order): a device that connects
 * meanwhile either fetched its backlog after the store (and finds the message there) or set its route before
 * the GET (and is delivered to now).
 */
@Component
public final class BatchFanout {

    private final RedisPipeline pipeline;
    private final OfflineWrites offline;
    private final RouteTable routes;
    private final DeliveryWriter writer;
    private final Counter storeFailures;
    private final Counter stored;

    BatchFanout(RedisPipeline pipeline, OfflineWrites offline, RouteTable routes, DeliveryWriter writer,
                MeterRegistry meters) {
        this.pipeline = pipeline;
        this.offline = offline;
        this.routes = routes;
        this.writer = writer;
        this.storeFailures = Counter.builder("herald.dispatcher.store.failures")
                .description("Batches whose offline store or route look-up failed; they are retried").register(meters);
        this.stored = Counter.builder("herald.dispatcher.offline.stored")
                .description("Device entries and broadcasts newly put in the offline store").register(meters);
    }

    /**
     * Completes once every command and status change of the batch is written; fails, having delivered
     * nothing, when the offline copies or the routes cannot be written or read. The delivery writes are issued
     * in {@code turn}, which is passed however the batch ends.
     */
    public Mono<Void> dispatch(List<IntakeMessage> messages, WriteTurn turn) {
        return Mono.defer(() -> {
            long now = System.currentTimeMillis();
            List<StoreEntry> entries = OfflineWrites.storable(FanoutPlan.storeEntries(messages, now), now);
            Set<AppDevice> targets = FanoutPlan.deviceTargets(messages, now);
            return Mono.fromFuture(() -> storeAndLookUp(entries, targets, now))
                    .onErrorMap(e -> {
                        storeFailures.increment();
                        return new StoreFailedException(entries.size(), e);
                    })
                    .map(ready -> FanoutPlan.of(messages, ready.routes(), ready.broadcastSeqs(), ready.newEntries(),
                            routes.liveNodes(), now))
                    .flatMap(plan -> writer.write(plan, turn));
        }).doFinally(signal -> turn.pass());
    }

    private CompletableFuture<Ready> storeAndLookUp(List<StoreEntry> entries, Set<AppDevice> targets, long now) {
        CompletableFuture<Map<String, Long>> seqs = OfflineWrites.hasBroadcasts(entries)
                ? pipeline.submit(c -> offline.broadcastSeqs(c, entries))
                : CompletableFuture.completedFuture(Map.of());
        // On a cluster a body and the pending set pointing at it live on different nodes: the bodies go first.
        boolean bodiesFirst = !entries.isEmpty() && !pipeline.ordersAllKeys();
        return seqs.thenCompose(broadcastSeqs -> bodiesFirst
                        ? pipeline.submit(c -> offline.writeBodies(c, entries, broadcastSeqs, now)).thenApply(done -> broadcastSeqs)
                        : CompletableFuture.completedFuture(broadcastSeqs))
                .thenCompose(broadcastSeqs -> pipeline.submit(c -> {
                    // Bodies (unless written already), pending entries and route reads in one write; an empty
                    // list issues no command.
                    CompletableFuture<Void> bodies = bodiesFirst ? CompletableFuture.completedFuture(null)
                            : offline.writeBodies(c, entries, broadcastSeqs, now);
                    CompletableFuture<Map<String, Integer>> indexed = offline.index(c, entries, broadcastSeqs);
                    CompletableFuture<Map<AppDevice, String>> live = routes.lookUp(c, targets);
                    return RedisPipeline.allOf(bodies, indexed, live)
                            .thenApply(done -> new Ready(broadcastSeqs, indexed.join(), live.join()));
                }))
                .whenComplete((ready, error) -> {
                    if (ready != null) {
                        stored.increment(ready.newEntries().values().stream().mapToInt(Integer::intValue).sum());
                    }
                });
    }

    /** What the plan needs: broadcast seqs and new offline entries by message id, live routes of the targets. */
    private record Ready(Map<String, Long> broadcastSeqs, Map<String, Integer> newEntries,
                         Map<AppDevice, String> routes) {
    }
}
