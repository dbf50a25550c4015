package dev.herald.access.session;

import dev.herald.access.AccessMetrics;
import dev.herald.access.AccessProperties;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.offline.BacklogReplay;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.app.Ids;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The native protocol of one connection after framing: handshake, heartbeat, acknowledgements and
 * the end of the connection. Sharable: a connection's state is its {@link Session} attribute, so the
 * node holds one instance of this handler for all connections.
 *
 * <p>Expects {@link Frame}s from the decoder before it, a {@link HandshakeTimeout} named
 * {@link HandshakeTimeout#NAME} and an {@code IdleStateHandler} whose reader-idle event means the
 * heartbeat has stopped.
 */
@Component
@ChannelHandler.Sharable
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final AppDirectory apps;
    private final SessionRegistry registry;
    private final BacklogReplay backlog;
    private final AckForwarder acks;
    private final AccessMetrics metrics;
    private final int heartbeatSeconds;

    public ConnectionHandler(AccessProperties properties, AppDirectory apps, SessionRegistry registry,
                             BacklogReplay backlog, AckForwarder acks, AccessMetrics metrics) {
        this.apps = apps;
        this.registry = registry;
        this.backlog = backlog;
        this.acks = acks;
        this.metrics = metrics;
        this.heartbeatSeconds = (int) properties.heartbeat().toSeconds();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame frame)) {
            // Only the frame decoder feeds this handler; anything else is a wiring mistake.
            log.warn("unexpected message {} on {}", msg.getClass().getName(), ctx.channel());
            ReferenceCountUtil.release(msg);
            return;
        }
        Session session = ctx.channel().attr(Session.KEY).get();
        if (session == Session.REFUSED) {
            return;
        }
        if (session == null) {
            if (frame instanceof Frame.Connect connect) {
                handshake(ctx, connect);
            } else {
                refuse(ctx, new Frame.Disconnect(frame.seq(), ErrorCode.NOT_CONNECTED,
                        frame.opcode() + " before CONNECT"));
            }
            return;
        }
        if (frame instanceof Frame.Ping ping) {
            ctx.writeAndFlush(new Frame.Pong(ping.seq()), ctx.voidPromise());
        } else if (frame instanceof Frame.Ack ack) {
            acks.forward(session.deviceId(), session.appIds(), ack);
        } else if (frame instanceof Frame.Disconnect disconnect) {
            log.debug("{} disconnects: {} {}", session, disconnect.code(), disconnect.message());
            ctx.close();
        } else if (frame instanceof Frame.Connect connect) {
            ctx.writeAndFlush(new Frame.ErrorFrame(connect.seq(), ErrorCode.ALREADY_CONNECTED,
                    "this connection has already completed its handshake"), ctx.voidPromise());
        } else if (frame instanceof Frame.Pong || frame instanceof Frame.ErrorFrame) {
            log.debug("{} sent {}", session, frame);
        } else {
            ctx.writeAndFlush(new Frame.ErrorFrame(frame.seq(), ErrorCode.UNSUPPORTED_OPCODE,
                    "a device may not send " + frame.opcode()), ctx.voidPromise());
        }
    }

    private void handshake(ChannelHandlerContext ctx, Frame.Connect connect) {
        if (registry.isClosing()) {
            refuse(ctx, new Frame.Disconnect(connect.seq(), ErrorCode.SERVER_SHUTDOWN, "node is shutting down"));
            return;
        }
        Frame.ConnAck refusal = check(connect, Instant.now());
        if (refusal != null) {
            metrics.handshake(refusal.code());
            log.debug("refused {} from {}: {} {}", connect.deviceId(), ctx.channel().remoteAddress(),
                    refusal.code(), refusal.message());
            refuse(ctx, refusal);
            return;
        }
        List<String> appIds = new ArrayList<>(connect.apps().size());
        for (Frame.AppLogin login : connect.apps()) {
            appIds.add(login.appId());
        }
        Session session = new Session(connect.deviceId(), appIds);
        Channel channel = ctx.channel();
        channel.attr(Session.KEY).set(session);
        if (ctx.pipeline().get(HandshakeTimeout.NAME) != null) {
            ctx.pipeline().remove(HandshakeTimeout.NAME);
        }
        ctx.writeAndFlush(new Frame.ConnAck(connect.seq(), ErrorCode.OK, heartbeatSeconds, ""), ctx.voidPromise());

        SessionRegistry.Registration registration = registry.register(session, channel);
        for (Channel older : registration.replaced()) {
            older.writeAndFlush(new Frame.Disconnect(0, ErrorCode.SESSION_REPLACED,
                            "device connected again on another connection"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        metrics.handshake(ErrorCode.OK);
        log.debug("{} connected from {}", session, channel.remoteAddress());
        // The backlog is fetched only after the route is written: a message sent from then on goes
        // to this node, one stored before is in the backlog, so nothing falls between the two.
        List<Frame.AppLogin> logins = connect.apps();
        registration.routesWritten().whenComplete((ok, error) -> {
            if (channel.isActive()) {
                backlog.replay(channel, session.deviceId(), logins);
            }
        });
    }

    /** Returns the CONNACK that refuses {@code connect}, or {@code null} when every login is valid. */
    private Frame.ConnAck check(Frame.Connect connect, Instant now) {
        if (!Ids.isDeviceId(connect.deviceId())) {
            return refusal(connect, ErrorCode.MALFORMED_FRAME, "device id must match " + Ids.DEVICE_ID_PATTERN);
        }
        Set<String> seen = new HashSet<>();
        for (Frame.AppLogin login : connect.apps()) {
            if (!seen.add(login.appId())) {
                return refusal(connect, ErrorCode.MALFORMED_FRAME, "app " + login.appId() + " is listed twice");
            }
            Optional<App> app = apps.find(login.appId());
            if (app.isEmpty()) {
                return refusal(connect, ErrorCode.UNKNOWN_APP, "unknown app " + login.appId());
            }
            // Any of the app's secrets (two during a rotation) may have signed the token.
            DeviceToken.Check result = DeviceToken.check(app.get().secrets(), login.appId(), connect.deviceId(),
                    login.token(), now);
            switch (result) {
                case VALID -> {
                }
                case EXPIRED -> {
                    return refusal(connect, ErrorCode.TOKEN_EXPIRED, "token for app " + login.appId() + " has expired");
                }
                default -> {
                    return refusal(connect, ErrorCode.BAD_TOKEN, "token for app " + login.appId() + " is not valid");
                }
            }
        }
        return null;
    }

    private static Frame.ConnAck refusal(Frame.Connect connect, ErrorCode code, String message) {
        return new Frame.ConnAck(connect.seq(), code, 0, message);
    }

    /**
     * Sends {@code reply} and closes. Before a handshake the channel is marked refused so frames
     * already decoded are ignored; an established session keeps its attribute so that
     * {@link #channelInactive} still unregisters it.
     */
    private static void refuse(ChannelHandlerContext ctx, Frame reply) {
        ctx.channel().attr(Session.KEY).setIfAbsent(Session.REFUSED);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(reply).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            Session session = Session.of(ctx.channel());
            log.debug("{} silent for two heartbeats, closing", session != null ? session : ctx.channel());
            metrics.heartbeatTimeout();
            refuse(ctx, new Frame.Disconnect(0, ErrorCode.HEARTBEAT_TIMEOUT,
                    "nothing received for two heartbeats of " + heartbeatSeconds + " s"));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (session != null) {
            registry.unregister(session, ctx.channel());
            log.debug("{} disconnected", session);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("error on connection {}, closing it", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
