package dev.herald.access.session;

import dev.herald.access.AccessMetrics;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.offline.BacklogReplay;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.app.Ids;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What every transport does with a device, whatever carried its packets: check a login, open the
 * session (registry, routes, replacing an older connection), replay the backlog once the routes are
 * written, forward acknowledgements, and forget the session when the connection ends. The transport
 * handlers only translate their packets into these calls.
 */
@Component
public final class DeviceSessions {

    private static final Logger log = LoggerFactory.getLogger(DeviceSessions.class);

    private final AppDirectory apps;
    private final SessionRegistry registry;
    private final BacklogReplay backlog;
    private final AckForwarder acks;
    private final AccessMetrics metrics;

    public DeviceSessions(AppDirectory apps, SessionRegistry registry, BacklogReplay backlog, AckForwarder acks,
                          AccessMetrics metrics) {
        this.apps = apps;
        this.registry = registry;
        this.backlog = backlog;
        this.acks = acks;
        this.metrics = metrics;
    }

    /** Why a login is refused, in native terms; each transport maps the code to its own. */
    public record Refusal(ErrorCode code, String message) {
    }

    /** An opened session and when its routes are written (the backlog may be fetched from then on). */
    public record Opened(Session session, CompletableFuture<Void> routesWritten) {
    }

    /** Returns why {@code logins} are refused for {@code deviceId}, or {@code null} when all are valid. */
    public Refusal check(String deviceId, List<Frame.AppLogin> logins) {
        Refusal refusal = refusalOf(deviceId, logins, Instant.now());
        if (refusal != null) {
            metrics.handshake(refusal.code());
        }
        return refusal;
    }

    private Refusal refusalOf(String deviceId, List<Frame.AppLogin> logins, Instant now) {
        if (registry.isClosing()) {
            return new Refusal(ErrorCode.SERVER_SHUTDOWN, "node is shutting down");
        }
        if (!Ids.isDeviceId(deviceId)) {
            return new Refusal(ErrorCode.MALFORMED_FRAME, "device id must match " + Ids.DEVICE_ID_PATTERN);
        }
        if (logins.isEmpty()) {
            return new Refusal(ErrorCode.MALFORMED_FRAME, "no app to log in to");
        }
        Set<String> seen = new HashSet<>();
        for (Frame.AppLogin login : logins) {
            if (!seen.add(login.appId())) {
                return new Refusal(ErrorCode.MALFORMED_FRAME, "app " + login.appId() + " is listed twice");
            }
            Optional<App> app = apps.find(login.appId());
            if (app.isEmpty()) {
                return new Refusal(ErrorCode.UNKNOWN_APP, "unknown app " + login.appId());
            }
            // Any of the app's secrets (two during a rotation) may have signed the token.
            DeviceToken.Check result = DeviceToken.check(app.get().secrets(), login.appId(), deviceId,
                    login.token(), now);
            switch (result) {
                case VALID -> {
                }
                case EXPIRED -> {
                    return new Refusal(ErrorCode.TOKEN_EXPIRED, "token for app " + login.appId() + " has expired");
                }
                default -> {
                    return new Refusal(ErrorCode.BAD_TOKEN, "token for app " + login.appId() + " is not valid");
                }
            }
        }
        return null;
    }

    /**
     * Opens the session of a connection whose logins {@link #check} accepted: marks the channel (which
     * ends its handshake deadline), registers the device (closing an older connection of it) and writes routes.
     * The caller answers the handshake before calling this, so that the answer precedes any push.
     */
    public Opened open(DeviceConnection connection, String deviceId, List<Frame.AppLogin> logins) {
        List<String> appIds = new ArrayList<>(logins.size());
        for (Frame.AppLogin login : logins) {
            // The directory's own id string, shared by all sessions, not the copy decoded from this login.
            appIds.add(apps.find(login.appId()).map(App::id).orElse(login.appId()));
        }
        Session session = new Session(deviceId, appIds, connection);
        Channel channel = connection.channel();
        ConnectionDeadlines.session(channel, session, false);
        SessionRegistry.Registration registration = registry.register(session);
        for (DeviceConnection older : registration.replaced()) {
            older.disconnect(ErrorCode.SESSION_REPLACED, "device connected again on another connection");
        }
        metrics.handshake(ErrorCode.OK);
        log.debug("{} connected from {}", session, channel.remoteAddress());
        return new Opened(session, registration.routesWritten());
    }

    /**
     * Replays the backlog of {@code logins} once the routes are written: a message sent from then on
     * goes to this node, one stored before is in the backlog, so nothing falls between the two. Live
     * broadcasts wait for the replay ({@link BroadcastHold}), so the device receives and acknowledges
     * broadcasts in sequence order. Call on the connection's event loop.
     */
    public void replayWhenRouted(Opened opened, List<Frame.AppLogin> logins) {
        DeviceConnection connection = opened.session().connection();
        BroadcastHold.start(connection, logins.size());
        opened.routesWritten().whenComplete((ok, error) -> {
            if (connection.channel().isActive()) {
                backlog.replay(connection, opened.session().deviceId(), logins);
            }
        });
    }

    /** Forwards acknowledged ids and broadcast cursors of the session's apps to the saver. */
    public void ack(Session session, Frame.Ack ack) {
        metrics.acked(ack.messageIds());
        acks.forward(session, session.appIds(), ack);
    }

    /**
     * Forwards the acknowledgement of one push of one app (an MQTT PUBACK, or a QoS 0 write).
     *
     * @param broadcastSeq the broadcast's sequence, 0 for a unicast
     */
    public void ack(Session session, String appId, MessageId messageId, long broadcastSeq) {
        metrics.acked(List.of(messageId));
        List<Frame.Cursor> cursors = broadcastSeq > 0 ? List.of(new Frame.Cursor(appId, broadcastSeq)) : List.of();
        acks.forward(session, List.of(appId), new Frame.Ack(0, List.of(messageId), cursors));
    }

    /** Forgets the session of a closed channel, if it had one. */
    public void closed(Channel channel) {
        BroadcastHold.discard(channel);
        Session session = Session.of(channel);
        if (session != null) {
            acks.closed(session);
            registry.unregister(session);
            log.debug("{} disconnected", session);
        }
    }
}
