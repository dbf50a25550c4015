package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.offline.SaverClient;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Passes devices' ACK frames to the saver, which deletes the acknowledged pending messages, moves the
 * broadcast cursors and counts deliveries. Acknowledgements within {@code ack-batch-window} (up to
 * {@value #MAX_ACKS_PER_REQUEST}) share one request.
 *
 * <p>An ACK frame does not say which app each id belongs to. A connection of several apps therefore
 * sends the ids for each of its apps; the saver ignores ids that are not pending for an app.
 */
@Component
public final class AckForwarder {

    private static final Logger log = LoggerFactory.getLogger(AckForwarder.class);

    static final int MAX_ACKS_PER_REQUEST = 1000;
    private static final int MAX_REQUESTS_IN_FLIGHT = 4;

    private final SaverClient saver;
    private final int retries;
    private final Batcher<OfflineApi.DeviceAck> batcher;

    public AckForwarder(AccessProperties properties, SaverClient saver) {
        this.saver = saver;
        this.retries = properties.saverRetries();
        this.batcher = new Batcher<>("saver ack", properties.ackBatchWindow(), MAX_ACKS_PER_REQUEST,
                MAX_REQUESTS_IN_FLIGHT, this::send, Schedulers.parallel());
    }

    public void forward(String deviceId, List<String> appIds, Frame.Ack ack) {
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

    /** Completes when every acknowledgement received so far has been sent. */
    public CompletableFuture<Void> flush() {
        return batcher.flush();
    }

    private Mono<Void> send(List<OfflineApi.DeviceAck> acks) {
        return saver.ack(new OfflineApi.AckRequest(acks))
                .retryWhen(SaverRetry.policy(retries))
                .onErrorResume(error -> {
                    // The messages stay pending at the saver and are replayed on the next connection;
                    // the client drops them as duplicates.
                    log.warn("ack of {} device entries failed: {}", acks.size(), SaverRetry.describe(error));
                    return Mono.empty();
                });
    }
}
