package dev.herald.access.device;

import dev.herald.access.delivery.PushMeters;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.offline.BacklogReplay;
import dev.herald.access.session.BroadcastHold;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.session.DeviceConnection;
import dev.herald.access.session.Session;
import dev.herald.access.session.SessionRegistry;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.app.Ids;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What every transport does with a device, whatever carried its packets: check a login, open the
 * session (registry, routes, replacing an older connection), answer the handshake once the routes are
 * written, replay the backlog, forward acknowledgements, and forget the session when the connection ends.
 * The transport handlers only translate their packets into these calls.
 *
 * <p>A handshake is accepted in three steps: {@link #open}, then {@link #whenRouted}, in which the transport
 * writes its accepting CONNACK and calls {@link #connAcked}. So CONNACK OK means the device's routes are in
 * Redis: a push sent once the device has read it finds the device. In between the connection reads
 * nothing more ({@link #deferUntilConnAck} keeps what was already read) and its live pushes are held, so
 * the CONNACK is the first thing the device receives and its own packets are answered after it. The round
 * that writes the routes also reads the device's token revocations, so {@link #whenRouted} is also where a
 * revoked token is refused.
 */
@Component
public final class DeviceSessions {

    private static final Logger log = LoggerFactory.getLogger(DeviceSessions.class);

    private final AppDirectory apps;
    private final SessionRegistry registry;
    private final BacklogReplay backlog;
    private final AckForwarder acks;
    private final ConnectionMeters connectionMeters;
    private final PushMeters pushMeters;

    public DeviceSessions(AppDirectory apps, SessionRegistry registry, BacklogReplay backlog, AckForwarder acks,
                          ConnectionMeters connectionMeters, PushMeters pushMeters) {
        this.apps = apps;
        this.registry = registry;
        this.backlog = backlog;
        this.acks = acks;
        this.connectionMeters = connectionMeters;
        this.pushMeters = pushMeters;
    }

    /** Why a login is refused, in native terms; each transport maps the code to its own. */
    public record Refusal(ErrorCode code, String message) {
    }

    /**
     * An opened session; {@code routed} completes when its routes are written (the backlog may be fetched from
     * then on) with {@code null}, or with the refusal of a token its device's revocation covers; exceptionally
     * when the routes could not be written.
     */
    public record Opened(Session session, CompletableFuture<Refusal> routed) {
    }

    /** The transport's answer to a handshake whose session is open. */
    @FunctionalInterface
    public interface Answer {
        /**
         * Called on the connection's event loop while it is open: with {@code refusal == null} the routes are
         * written, so write the accepting CONNACK and call {@link #connAcked}; otherwise refuse with it and close
         * ({@code INTERNAL_ERROR}: the routes could not be written, connect again; {@code TOKEN_EXPIRED}: a
         * token was revoked).
         */
        void routed(Refusal refusal);
    }

    /** Returns why {@code logins} are refused for {@code deviceId}, or {@code null} when all are valid. */
    public Refusal check(String deviceId, List<Frame.AppLogin> logins) {
        Refusal refusal = refusalOf(deviceId, logins, Instant.now());
        if (refusal != null) {
            connectionMeters.handshake(refusal.code());
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
     * Until the transport's CONNACK ({@link #whenRouted}, {@link #connAcked}) the connection stops reading and
     * its live pushes are held. Call on the connection's event loop.
     */
    public Opened open(DeviceConnection connection, String deviceId, List<Frame.AppLogin> logins) {
        List<String> appIds = new ArrayList<>(logins.size());
        long[] tokenIssuedAt = new long[logins.size()];
        for (Frame.AppLogin login : logins) {
            // The directory's own id string, shared by all sessions, not the copy decoded from this login.
            appIds.add(apps.find(login.appId()).map(App::id).orElse(login.appId()));
            // check() accepted the token, so it parses.
            tokenIssuedAt[appIds.size() - 1] = DeviceToken.issuedAtMillis(login.token());
        }
        Channel channel = connection.channel();
        // What the device sends meanwhile is answered after the CONNACK; a read already under way is deferred.
        channel.config().setAutoRead(false);
        // Registered, the connection can be pushed to at once (by a route to this node that is still there), so
        // its pushes are held from before that.
        Session session = Session.open(connection, deviceId, appIds, tokenIssuedAt);
        SessionRegistry.Registration registration = registry.register(session);
        for (DeviceConnection older : registration.replaced()) {
            older.disconnect(ErrorCode.SESSION_REPLACED, "device connected again on another connection");
        }
        log.debug("{} connected from {}", session, channel.remoteAddress());
        return new Opened(session, revocationCheck(session, registration.routesWritten()));
    }

    /**
     * The last check of a login, on what the route writes read (no round trip of its own): a token issued at or
     * before its device's revocation is refused, like an expired one (the app may mint the device a new token).
     */
    private static CompletableFuture<Refusal> revocationCheck(Session session, List<CompletableFuture<Long>> written) {
        return CompletableFuture.allOf(written.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
            for (int i = 0; i < written.size(); i++) {
                String appId = session.appIds().get(i);
                if (session.tokenRevokedBy(appId, written.get(i).join())) {
                    return new Refusal(ErrorCode.TOKEN_EXPIRED, "token for app " + appId + " was revoked");
                }
            }
            return null;
        });
    }

    /**
     * Calls {@code answer} on the connection's event loop once the session's routes are written or failed for
     * good, unless the connection has closed meanwhile. Route writes are batched (route-batch-window), so this
     * is a few milliseconds after {@link #open}.
     */
    public void whenRouted(Opened opened, Answer answer) {
        Channel channel = opened.session().connection().channel();
        opened.routed().whenComplete((revoked, error) -> {
            Runnable task = () -> {
                if (!channel.isActive()) {
                    return;
                }
                Refusal refusal = revoked;
                if (error != null) {
                    log.debug("{}: routes not written, refusing: {}", opened.session(), error.toString());
                    refusal = new Refusal(ErrorCode.INTERNAL_ERROR, "the device's route could not be recorded; connect again");
                } else if (refusal != null) {
                    log.debug("{}: refused: {}", opened.session(), refusal.message());
                }
                connectionMeters.handshake(refusal == null ? ErrorCode.OK : refusal.code());
                answer.routed(refusal);
            };
            if (channel.eventLoop().inEventLoop()) {
                task.run();
                return;
            }
            try {
                channel.eventLoop().execute(task);
            } catch (RejectedExecutionException e) {
                // The node is shutting down: the connection goes with its event loop.
                log.debug("event loop of {} is gone; {}", channel, e.toString());
            }
        });
    }

    /**
     * Ends the wait that {@link #open} began, right after the transport has written its accepting CONNACK, on
     * the connection's event loop: hands {@code read} what the connection read meanwhile, in order (and
     * releases it afterwards), writes the live pushes held meanwhile, flushes and resumes reading.
     */
    public void connAcked(Opened opened, Consumer<Object> read) {
        DeviceConnection connection = opened.session().connection();
        Channel channel = connection.channel();
        for (Object message : opened.session().connAcked()) {
            try {
                if (channel.isActive()) {
                    read.accept(message);
                }
            } finally {
                ReferenceCountUtil.release(message);
            }
        }
        // After the device's own packets: an MQTT SUBSCRIBE sent behind the CONNECT already counts for these.
        pushMeters.livePushes(BroadcastHold.connAcked(connection));
        channel.flush();
        if (channel.isActive()) {
            channel.config().setAutoRead(true);
        }
    }

    /**
     * Keeps a message that a connection read before its CONNACK was written, for {@link #connAcked}, which
     * releases it; {@code false} once the CONNACK is written: handle the message now. Event loop only.
     */
    public boolean deferUntilConnAck(Session session, Object message) {
        if (!session.deferUntilConnAck(message)) {
            return false;
        }
        ReferenceCountUtil.retain(message);
        return true;
    }

    /**
     * Replays the backlog of {@code logins} once the routes are written: a message sent from then on
     * goes to this node, one stored before is in the backlog, so nothing falls between the two. Live
     * broadcasts wait for the replay ({@link BroadcastHold}), so the device receives and acknowledges
     * broadcasts in sequence order. Call on the connection's event loop; with the CONNACK, call it before
     * {@link #connAcked}, so that the broadcasts held since {@link #open} wait for the replay too.
     */
    public void replayWhenRouted(Opened opened, List<Frame.AppLogin> logins) {
        DeviceConnection connection = opened.session().connection();
        BroadcastHold.start(connection, logins.size());
        opened.routed().whenComplete((ok, error) -> {
            if (connection.channel().isActive()) {
                backlog.replay(connection, opened.session().deviceId(), logins);
            }
        });
    }

    /** Forwards acknowledged ids and broadcast cursors of the session's apps to the saver. */
    public void ack(Session session, Frame.Ack ack) {
        pushMeters.acked(ack.messageIds());
        acks.forward(session, session.appIds(), ack);
    }

    /**
     * Forwards the acknowledgement of one push of one app (an MQTT PUBACK, or a QoS 0 write).
     *
     * @param broadcastSeq the broadcast's sequence, 0 for a unicast
     */
    public void ack(Session session, String appId, MessageId messageId, long broadcastSeq) {
        pushMeters.acked(List.of(messageId));
        List<Frame.Cursor> cursors = broadcastSeq > 0 ? List.of(new Frame.Cursor(appId, broadcastSeq)) : List.of();
        acks.forward(session, List.of(appId), new Frame.Ack(0, List.of(messageId), cursors));
    }

    /** Forgets the session of a closed channel, if it had one. */
    public void closed(Channel channel) {
        BroadcastHold.discard(channel);
        Session session = Session.of(channel);
        if (session != null) {
            session.connAcked().forEach(ReferenceCountUtil::release);
            acks.closed(session);
            registry.unregister(session);
            log.debug("{} disconnected", session);
        }
    }
}
