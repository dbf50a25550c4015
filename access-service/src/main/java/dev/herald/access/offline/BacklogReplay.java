package dev.herald.access.offline;

import dev.herald.access.AccessMetrics;
import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.offline.SaverClient;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.EncodedPush;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers what devices missed while they were away: devices that connect within
 * {@code fetch-batch-window} share one saver fetch, and each stored message is written to its
 * connection as a PUSH flagged REPLAY (and BROADCAST, with its sequence, for broadcasts). Messages
 * that expired meanwhile are skipped. The saver keeps every message until the device acknowledges
 * it, so a failed fetch loses nothing: it is logged and the device gets the backlog next time.
 */
@Component
public final class BacklogReplay {

    private static final Logger log = LoggerFactory.getLogger(BacklogReplay.class);

    static final int MAX_DEVICES_PER_FETCH = 256;
    private static final int MAX_FETCHES_IN_FLIGHT = 4;
    private static final byte[] EMPTY = new byte[0];

    private final SaverClient saver;
    private final AccessMetrics metrics;
    private final int retries;
    private final Batcher<Wanted> batcher;

    public BacklogReplay(AccessProperties properties, SaverClient saver, AccessMetrics metrics) {
        this.saver = saver;
        this.metrics = metrics;
        this.retries = properties.saverRetries();
        this.batcher = new Batcher<>("saver fetch", properties.fetchBatchWindow(), MAX_DEVICES_PER_FETCH,
                MAX_FETCHES_IN_FLIGHT, this::fetch, Schedulers.parallel());
    }

    /** Fetches and writes the backlog of the device for each app it logged in to on {@code channel}. */
    public void replay(DeviceConnection channel, String deviceId, List<Frame.AppLogin> logins) {
        for (Frame.AppLogin login : logins) {
            batcher.add(new Wanted(channel, login.appId(), deviceId, login.broadcastCursor()));
        }
    }

    private Mono<Void> fetch(List<Wanted> batch) {
        List<OfflineApi.DeviceCursor> devices = new ArrayList<>(batch.size());
        for (Wanted wanted : batch) {
            devices.add(new OfflineApi.DeviceCursor(wanted.appId(), wanted.deviceId(), wanted.cursor()));
        }
        return saver.fetch(new OfflineApi.FetchRequest(devices))
                .retryWhen(SaverRetry.policy(retries))
                .doOnNext(response -> write(batch, response))
                .onErrorResume(error -> {
                    log.warn("backlog fetch for {} devices failed; they get it on their next connection: {}",
                            batch.size(), SaverRetry.describe(error));
                    return Mono.empty();
                })
                .then();
    }

    private void write(List<Wanted> batch, OfflineApi.FetchResponse response) {
        Map<String, DeviceConnection> channels = new HashMap<>(batch.size() * 2);
        for (Wanted wanted : batch) {
            channels.put(key(wanted.appId(), wanted.deviceId()), wanted.channel());
        }
        long now = System.currentTimeMillis();
        Map<DeviceConnection, List<Frame.Push>> pushes = new IdentityHashMap<>();
        for (OfflineApi.Backlog backlog : response.backlogs()) {
            DeviceConnection channel = channels.get(key(backlog.appId(), backlog.deviceId()));
            if (channel == null || !channel.channel().isActive()) {
                continue;
            }
            for (OfflineApi.OfflineMessage message : backlog.messages()) {
                Frame.Push push = toPush(backlog.appId(), message, now);
                if (push != null) {
                    pushes.computeIfAbsent(channel, c -> new ArrayList<>()).add(push);
                }
            }
        }
        pushes.forEach((connection, frames) -> connection.channel().eventLoop().execute(() -> {
            Channel channel = connection.channel();
            if (!channel.isActive()) {
                return;
            }
            int written = 0;
            for (Frame.Push push : frames) {
                EncodedPush encoded;
                try {
                    encoded = EncodedPush.encode(channel.alloc(), push);
                } catch (IllegalArgumentException e) {
                    log.warn("stored message {} cannot be encoded; skipped: {}", push.messageId(), e.getMessage());
                    continue;
                }
                try {
                    if (connection.write(encoded)) {
                        written++;
                    }
                } finally {
                    encoded.release();
                }
            }
            channel.flush();
            metrics.replayedPushes(written);
        }));
    }

    private static Frame.Push toPush(String appId, OfflineApi.OfflineMessage message, long now) {
        if (message.expiresAt() > 0 && message.expiresAt() <= now) {
            return null;
        }
        MessageId id;
        try {
            id = MessageId.parse(message.messageId());
        } catch (IllegalArgumentException e) {
            log.warn("saver returned a message with an invalid id {}; skipped", message.messageId());
            return null;
        }
        int flags = Frame.Push.FLAG_REPLAY | (message.broadcast() ? Frame.Push.FLAG_BROADCAST : 0);
        byte[] payload = message.payload() == null ? EMPTY : message.payload();
        String app = message.appId() == null ? appId : message.appId();
        return new Frame.Push(0, flags, id, app, message.broadcast() ? message.broadcastSeq() : 0, payload);
    }

    private static String key(String appId, String deviceId) {
        // A newline cannot occur in either id (see Ids), so the pair is unambiguous.
        return appId + '\n' + deviceId;
    }

    /** A device waiting for its backlog; held only until its fetch is answered. */
    private record Wanted(DeviceConnection channel, String appId, String deviceId, long cursor) {
    }
}
