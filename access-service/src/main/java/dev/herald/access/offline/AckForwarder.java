package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.access.delivery.RecentBroadcasts;
import dev.herald.access.delivery.StatusCounters;
import dev.herald.access.session.BroadcastCursors;
import dev.herald.access.session.Session;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.OfflineAcks;
import dev.herald.protocol.Frame;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.herald.protocol.MessageId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Records devices' ACK frames in the offline store. Acknowledgements within {@code ack-batch-window} (up to
 * {@value #MAX_ACKS_PER_REQUEST}) share one pipelined round on this node's Redis pipeline: the offline-store
 * library's ACK script per device ({@link OfflineAcks}: deletes the acknowledged pending messages, moves the
 * broadcast cursor), then the {@code delivered} counts through {@link StatusCounters}. No HTTP call to the
 * saver: it owns the script, the node runs it.
 *
 * <p>An ACK of nothing but broadcasts this node just wrote live ({@link RecentBroadcasts}) is folded here
 * instead: a broadcast to N devices would otherwise cost N scripts, each updating one device's
 * cursor. Its deliveries are counted per message and added to the status in one increment per window; the
 * connection's cursor is kept with its session and stored in the offline store when it closes, and at most every
 * {@code broadcast-cursor-interval} while it stays. A node that dies loses the cursors of that interval;
 * devices report their own cursor at CONNECT, so they get no broadcast twice, and a device that lost its
 * state as well gets those broadcasts again (at least once). A folded broadcast counts as delivered once
 * per connection (its sequence above the connection's cursor); an online-only broadcast, which has no
 * sequence, once per ACK of it.
 *
 * <p>An ACK frame does not say which app each id belongs to. A connection of several apps therefore
 * sends the ids for each of its apps; the script ignores ids that are not pending for an app.
 */
@Component
public final class AckForwarder {

    private static final Logger log = LoggerFactory.getLogger(AckForwarder.class);

    static final int MAX_ACKS_PER_REQUEST = 1000;
    private static final int MAX_REQUESTS_IN_FLIGHT = 4;
    private static final int MAX_DELIVERIES_PER_ROUND = 100_000;

    private final RedisPipeline pipeline;
    private final OfflineAcks offlineAcks;
    private final int retries;
    private final RecentBroadcasts recentBroadcasts;
    private final StatusCounters counters;
    private final Counter deliveries;
    private final long cursorIntervalMillis;
    private final Batcher<OfflineApi.DeviceAck> batcher;
    private final Batcher<String> delivered;

    public AckForwarder(AccessProperties properties, RedisPipeline pipeline, OfflineAcks offlineAcks,
                        RecentBroadcasts recentBroadcasts, StatusCounters counters, MeterRegistry meters) {
        this.pipeline = pipeline;
        this.offlineAcks = offlineAcks;
        this.retries = properties.saverRetries();
        this.recentBroadcasts = recentBroadcasts;
        this.counters = counters;
        this.deliveries = Counter.builder("herald.access.delivered")
                .description("Deliveries: first acknowledgements of a message by a device, as counted in its status")
                .register(meters);
        this.cursorIntervalMillis = properties.broadcastCursorInterval().toMillis();
        this.batcher = new Batcher<>("offline ack", properties.ackBatchWindow(), MAX_ACKS_PER_REQUEST,
                MAX_REQUESTS_IN_FLIGHT, this::send, Schedulers.parallel());
        this.delivered = new Batcher<>("broadcast delivered", properties.ackBatchWindow(), MAX_DELIVERIES_PER_ROUND,
                1, this::countDelivered, Schedulers.parallel());
    }

    /**
     * An ACK from {@code session}'s connection, about {@code appIds} (all of the session's apps for a native
     * ACK, one for an MQTT PUBACK). Called on the connection's event loop.
     */
    public void forward(Session session, List<String> appIds, Frame.Ack ack) {
        long now = System.currentTimeMillis();
        List<RecentBroadcasts.Broadcast> live = liveBroadcastsOnly(session, appIds, ack);
        if (live == null) {
            record(session.deviceId(), appIds, ack);
            BroadcastCursors cursors = session.broadcastCursorsIfAny();
            if (cursors != null) {
                for (Frame.Cursor c : ack.cursors()) {
                    int app = session.appIds().indexOf(c.appId());
                    if (app >= 0 && appIds.contains(c.appId())) {
                        cursors.stored(app, c.broadcastSeq());
                    }
                }
            }
            return;
        }
        BroadcastCursors cursors = session.broadcastCursors(now);
        List<MessageId> ids = ack.messageIds();
        // Counted against the cursors as they were before this ACK, then moved.
        for (int i = 0; i < ids.size(); i++) {
            RecentBroadcasts.Broadcast broadcast = live.get(i);
            // A logged broadcast counts once per connection (above its cursor); an online-only one has no
            // sequence to tell a re-sent ACK by, and counts each time.
            if (broadcast.seq() == 0
                    || broadcast.seq() > cursors.acknowledged(session.appIds().indexOf(broadcast.appId()))) {
                delivered.add(ids.get(i).toString());
            }
        }
        for (RecentBroadcasts.Broadcast broadcast : live) {
            cursors.acknowledge(session.appIds().indexOf(broadcast.appId()), broadcast.seq());
        }
        for (Frame.Cursor c : ack.cursors()) {
            int app = session.appIds().indexOf(c.appId());
            if (app >= 0 && appIds.contains(c.appId())) {
                cursors.acknowledge(app, c.broadcastSeq());
            }
        }
        if (cursors.storeDue(now, cursorIntervalMillis)) {
            storeCursors(session, cursors, now);
        }
    }

    /** The connection ended: the offline store gets the broadcast cursors it does not have yet. */
    public void closed(Session session) {
        BroadcastCursors cursors = session.broadcastCursorsIfAny();
        if (cursors != null) {
            storeCursors(session, cursors, System.currentTimeMillis());
        }
    }

    /** Completes when every acknowledgement received so far has been sent. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(batcher.flush(), delivered.flush());
    }

    /** The broadcasts {@code ack} acknowledges, in its order, when it is nothing else; otherwise {@code null}. */
    private List<RecentBroadcasts.Broadcast> liveBroadcastsOnly(Session session, List<String> appIds, Frame.Ack ack) {
        if (ack.messageIds().isEmpty()) {
            return null;
        }
        List<RecentBroadcasts.Broadcast> live = new ArrayList<>(ack.messageIds().size());
        for (MessageId id : ack.messageIds()) {
            RecentBroadcasts.Broadcast broadcast = recentBroadcasts.find(id);
            // appIds are some of the session's, so a broadcast of one of them has an index there.
            if (broadcast == null || !appIds.contains(broadcast.appId())) {
                return null;
            }
            live.add(broadcast);
        }
        return live;
    }

    private void storeCursors(Session session, BroadcastCursors cursors, long now) {
        cursors.storeMoved(session.appIds(), now, (appId, cursor) ->
                batcher.add(new OfflineApi.DeviceAck(appId, session.deviceId(), List.of(), cursor)));
    }

    private void record(String deviceId, List<String> appIds, Frame.Ack ack) {
        List<String> ids = new ArrayList<>(ack.messageIds().size());
        for (MessageId id : ack.messageIds()) {
            ids.add(id.toString());
        }
        for (String appId : appIds) {
            long cursor = 0;
            for (Frame.Cursor c : ack.cursors()) {
                if (c.appId().equals(appId)) {
                    cursor = Math.max(cursor, c.broadcastSeq());
                }
            }
            if (!ids.isEmpty() || cursor > 0) {
                batcher.add(new OfflineApi.DeviceAck(appId, deviceId, ids, cursor));
            }
        }
    }

    private Mono<Void> countDelivered(List<String> messageIds) {
        return Mono.fromRunnable(() -> {
            Map<String, Integer> counts = new HashMap<>();
            messageIds.forEach(id -> counts.merge(id, 1, Integer::sum));
            countDelivered(counts);
        });
    }

    private void countDelivered(Map<String, Integer> counts) {
        counters.add(MessageStatus.DELIVERED, counts);
        deliveries.increment(counts.values().stream().mapToInt(Integer::intValue).sum());
    }

    private Mono<Void> send(List<OfflineApi.DeviceAck> acks) {
        return Mono.fromFuture(() -> pipeline.submit(c -> offlineAcks.acknowledge(c, acks, System.currentTimeMillis())))
                .doOnNext(this::countDelivered)
                .then()
                .retryWhen(SaverRetry.policy(retries))
                .onErrorResume(error -> {
                    // The messages stay pending in the offline store and are replayed on the next connection;
                    // the client drops them as duplicates.
                    log.warn("ack of {} device entries failed: {}", acks.size(), SaverRetry.describe(error));
                    return Mono.empty();
                });
    }
}
