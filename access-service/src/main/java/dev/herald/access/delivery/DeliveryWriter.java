package dev.herald.access.delivery;

import dev.herald.access.session.BroadcastHold;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.EncodedPush;
import dev.herald.access.session.SessionRegistry;
import dev.herald.access.write.Outboxes;
import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.MessageStatus;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.buffer.ByteBufAllocator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes delivery commands to local connections. Each message is encoded once per wire format
 * ({@link EncodedPush}): native and WebSocket connections write a {@code retainedDuplicate()} of one
 * native frame, MQTT connections one shared payload behind a few bytes of their own header. Writes go
 * through {@link Outboxes}: one task per event loop per batch, one flush per channel.
 */
@Component
public final class DeliveryWriter {

    private static final Logger log = LoggerFactory.getLogger(DeliveryWriter.class);

    private final SessionRegistry registry;
    private final StatusCounters counters;
    private final RecentBroadcasts recentBroadcasts;
    private final PushMeters metrics;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    public DeliveryWriter(SessionRegistry registry, StatusCounters counters, RecentBroadcasts recentBroadcasts,
                          PushMeters metrics) {
        this.registry = registry;
        this.counters = counters;
        this.recentBroadcasts = recentBroadcasts;
        this.metrics = metrics;
    }

    /** Delivers a batch of commands read from this node's delivery stream. */
    public void deliver(List<DeliveryCommand> commands) {
        long now = System.currentTimeMillis();
        Outboxes outboxes = new Outboxes(metrics::livePushes);
        Map<String, Integer> broadcastTargets = new LinkedHashMap<>();
        for (DeliveryCommand command : commands) {
            if (command.expiresAt() > 0 && command.expiresAt() <= now) {
                log.debug("message {} expired before delivery; skipped", command.messageId());
                continue;
            }
            Frame.Push push = toPush(command);
            if (push == null) {
                continue;
            }
            EncodedPush frame;
            try {
                frame = EncodedPush.encode(alloc, push, command.offline());
            } catch (IllegalArgumentException e) {
                log.warn("message {} of app {} cannot be encoded; skipped: {}", command.messageId(), command.appId(),
                        e.getMessage());
                continue;
            }
            try {
                int written = 0;
                if (command.broadcast() && command.devices().isEmpty()) {
                    recentBroadcasts.written(push.messageId(), command.appId(), command.broadcastSeq());
                    for (DeviceConnection channel : registry.connectionsOf(command.appId())) {
                        written += enqueue(outboxes, channel, frame);
                    }
                    broadcastTargets.merge(command.messageId(), written, Integer::sum);
                } else {
                    for (String deviceId : command.devices()) {
                        DeviceConnection channel = registry.find(command.appId(), deviceId);
                        if (channel != null) {
                            written += enqueue(outboxes, channel, frame);
                        }
                    }
                }
                if (written > 0) {
                    metrics.liveMessageWritten(push.messageId());
                }
                log.debug("message {} of app {} to {} local connections", command.messageId(), command.appId(), written);
            } finally {
                frame.release();
            }
        }
        outboxes.submit();
        counters.add(MessageStatus.TARGETS, broadcastTargets);
    }

    private static Frame.Push toPush(DeliveryCommand command) {
        MessageId id;
        try {
            id = MessageId.parse(command.messageId());
        } catch (IllegalArgumentException e) {
            log.warn("delivery command with invalid message id {}; skipped", command.messageId());
            return null;
        }
        int flags = command.broadcast() ? Frame.Push.FLAG_BROADCAST : 0;
        byte[] payload = command.payload() == null ? new byte[0] : command.payload();
        return new Frame.Push(0, flags, id, command.appId(), command.broadcastSeq(), payload);
    }

    private static int enqueue(Outboxes outboxes, DeviceConnection connection, EncodedPush frame) {
        if (!connection.channel().isActive()) {
            return 0;
        }
        EncodedPush retained = frame.retain();
        return outboxes.add(connection.channel(), new Outboxes.Write() {
            @Override
            public boolean write() {
                try {
                    // A connection whose backlog is being replayed gets its live broadcasts after the replay.
                    return connection.channel().isActive() && !BroadcastHold.holds(connection, retained)
                            && connection.write(retained);
                } finally {
                    retained.release();
                }
            }

            @Override
            public void discard() {
                retained.release();
            }
        }) ? 1 : 0;
    }
}
