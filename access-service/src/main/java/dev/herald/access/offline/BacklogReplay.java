package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.access.delivery.PushMeters;
import dev.herald.access.session.BroadcastHold;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.EncodedPush;
import dev.herald.core.offline.OfflineApi;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Delivers what devices missed while they were away: devices that connect within
 * {@code fetch-batch-window} share one saver fetch, and each stored message is written to its
 * connection as a PUSH flagged REPLAY (and BROADCAST, with its sequence, for broadcasts). Messages
 * that expired meanwhile are skipped. Live broadcasts of a device wait until its replay is written
 * ({@link BroadcastHold}). The saver keeps every message until the device acknowledges it, so a failed
 * fetch loses nothing: after its retries the device's connection is closed, and it fetches again when
 * it comes back.
 */
@Component
public final class BacklogReplay {

    private static final Logger log = LoggerFactory.getLogger(BacklogReplay.class);

    static final int MAX_DEVICES_PER_FETCH = 256;
    private static final int MAX_FETCHES_IN_FLIGHT = 4;
    private static final byte[] EMPTY = new byte[0];

    private final SaverClient saver;
    private final PushMeters metrics;
    private final int retries;
    private final Duration saverTimeout;
    private final Batcher<Wanted> batcher;

    public BacklogReplay(AccessProperties properties, SaverClient saver, PushMeters metrics) {
        this.saver = saver;
        this.metrics = metrics;
        this.retries = properties.saverRetries();
        this.saverTimeout = properties.saverTimeout();
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
        return Mono.defer(() -> saver.fetch(new OfflineApi.FetchRequest(devices)).timeout(saverTimeout))
                .retryWhen(SaverRetry.policy(retries))
                .doOnNext(response -> write(batch, response))
                .onErrorResume(error -> {
                    log.warn("backlog fetch for {} devices failed; closing their connections so that they connect "
                            + "again and fetch it: {}", batch.size(), SaverRetry.describe(error));
                    closeAll(batch);
                    return Mono.empty();
                })
                .then();
    }

    /**
     * Without its backlog a connected device would wait for it until its next connection, and its held
     * broadcasts could not be written without skipping over the stored ones: it is sent away to come back.
     */
    private static void closeAll(List<Wanted> batch) {
        Map<DeviceConnection, Boolean> connections = new IdentityHashMap<>();
        batch.forEach(wanted -> connections.put(wanted.channel(), Boolean.TRUE));
        connections.keySet().forEach(connection -> onLoop(connection, () -> {
            BroadcastHold.discard(connection.channel());
            connection.disconnect(ErrorCode.INTERNAL_ERROR, "stored messages are unavailable; connect again");
        }));
    }

    private void write(List<Wanted> batch, OfflineApi.FetchResponse response) {
        Map<String, List<OfflineApi.OfflineMessage>> byDevice = new HashMap<>(response.backlogs().size() * 2);
        for (OfflineApi.Backlog backlog : response.backlogs()) {
            byDevice.put(key(backlog.appId(), backlog.deviceId()), backlog.messages());
        }
        long now = System.currentTimeMillis();
        // Every connection of the batch hears back, also with an empty backlog: its broadcast hold ends.
        Map<DeviceConnection, Replay> replays = new IdentityHashMap<>();
        for (Wanted wanted : batch) {
            Replay replay = replays.computeIfAbsent(wanted.channel(), c -> new Replay());
            replay.apps++;
            for (OfflineApi.OfflineMessage message : byDevice.getOrDefault(key(wanted.appId(), wanted.deviceId()), List.of())) {
                Frame.Push push = toPush(wanted.appId(), message, now);
                if (push != null) {
                    replay.pushes.add(push);
                }
            }
        }
        replays.forEach((connection, replay) -> onLoop(connection, () -> writeOnLoop(connection, replay)));
    }

    private void writeOnLoop(DeviceConnection connection, Replay replay) {
        Channel channel = connection.channel();
        if (!channel.isActive()) {
            return;
        }
        int written = 0;
        List<MessageId> ids = new ArrayList<>(replay.pushes.size());
        for (Frame.Push push : replay.pushes) {
            EncodedPush encoded;
            try {
                encoded = EncodedPush.encode(channel.alloc(), push, true);
            } catch (IllegalArgumentException e) {
                log.warn("stored message {} cannot be encoded; skipped: {}", push.messageId(), e.getMessage());
                continue;
            }
            try {
                if (connection.write(encoded)) {
                    written++;
                    ids.add(push.messageId());
                }
            } finally {
                encoded.release();
            }
        }
        int held = BroadcastHold.replayed(connection, ids, replay.apps);
        channel.flush();
        metrics.replayedPushes(written);
        metrics.livePushes(held);
    }

    private static void onLoop(DeviceConnection connection, Runnable task) {
        try {
            connection.channel().eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // The node is shutting down: its connections are going with it.
            log.debug("event loop of {} is gone; {}", connection.channel(), e.toString());
        }
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

    /** What one fetch brought one connection, for all its apps in the batch. */
    private static final class Replay {
        final List<Frame.Push> pushes = new ArrayList<>();
        int apps;
    }
}
