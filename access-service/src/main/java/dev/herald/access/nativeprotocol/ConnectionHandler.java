package dev.herald.access.nativeprotocol;

import dev.herald.access.websocket.WebSocketFrames;
import dev.herald.access.AccessProperties;
import dev.herald.access.device.DeviceSessions;
import dev.herald.access.room.RoomRequests;
import dev.herald.access.session.ConnectionFailures;
import dev.herald.access.session.ConnectionDeadlines;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.access.session.Session;
import dev.herald.access.uplink.UplinkIntake;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.protocol.FrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The native protocol of one connection after framing, over TCP or inside WebSocket messages:
 * translates frames into {@link DeviceSessions} calls (handshake, acknowledgements, the end of the
 * connection), hands uplinks to the {@link UplinkIntake} and room frames to {@link RoomRequests}, and answers heartbeats. Sharable: a connection's state is its {@link Session}
 * attribute, so the node holds one instance of this handler for all connections.
 *
 * <p>Also the encoder: a {@link Frame} written to the channel leaves as its bytes, a pre-encoded
 * {@link ByteBuf} (a shared broadcast) passes as it is. Folded in here rather than a handler of its own
 * to save a pipeline context per connection.
 *
 * <p>Expects {@link Frame}s from the decoder before it; tells {@link ConnectionDeadlines} of each, whose
 * reader-idle event means the heartbeat has stopped.
 */
@Component
@ChannelHandler.Sharable
public final class ConnectionHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);

    private final DeviceSessions sessions;
    private final UplinkIntake uplinks;
    private final RoomRequests rooms;
    private final ConnectionMeters metrics;
    private final int heartbeatSeconds;

    public ConnectionHandler(AccessProperties properties, DeviceSessions sessions, UplinkIntake uplinks,
                             RoomRequests rooms, ConnectionMeters metrics) {
        this.sessions = sessions;
        this.uplinks = uplinks;
        this.rooms = rooms;
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
        ConnectionDeadlines.read(ctx.channel());
        if (Session.isRefused(ctx.channel())) {
            return;
        }
        Session session = Session.of(ctx.channel());
        if (session == null) {
            if (frame instanceof Frame.Connect connect) {
                handshake(ctx, connect);
            } else {
                refuse(ctx, new Frame.Disconnect(frame.seq(), ErrorCode.NOT_CONNECTED,
                        frame.opcode() + " before CONNECT"));
            }
            return;
        }
        if (!sessions.deferUntilConnAck(session, frame)) {
            handle(ctx, session, frame);
        }
    }

    /** A frame of a connection whose CONNACK is written. */
    private void handle(ChannelHandlerContext ctx, Session session, Frame frame) {
        if (frame instanceof Frame.Ping ping) {
            ctx.channel().writeAndFlush(new Frame.Pong(ping.seq()), ctx.voidPromise());
        } else if (frame instanceof Frame.Ack ack) {
            sessions.ack(session, ack);
        } else if (frame instanceof Frame.Uplink uplink) {
            uplink(ctx, session, uplink);
        } else if (frame instanceof Frame.RoomJoin join) {
            rooms.join(session, join);
        } else if (frame instanceof Frame.RoomLeave leave) {
            rooms.leave(session, leave);
        } else if (frame instanceof Frame.RoomSend send) {
            rooms.send(session, send);
        } else if (frame instanceof Frame.Disconnect disconnect) {
            log.debug("{} disconnects: {} {}", session, disconnect.code(), disconnect.message());
            ctx.close();
        } else if (frame instanceof Frame.Connect connect) {
            ctx.channel().writeAndFlush(new Frame.ErrorFrame(connect.seq(), ErrorCode.ALREADY_CONNECTED,
                    "this connection has already completed its handshake"), ctx.voidPromise());
        } else if (frame instanceof Frame.Pong || frame instanceof Frame.ErrorFrame) {
            log.debug("{} sent {}", session, frame);
        } else {
            ctx.channel().writeAndFlush(new Frame.ErrorFrame(frame.seq(), ErrorCode.UNSUPPORTED_OPCODE,
                    "a device may not send " + frame.opcode()), ctx.voidPromise());
        }
    }

    /** Answers UPLINK_ACK once the uplink is stored, ERROR UPLINK_REJECTED otherwise (same seq). */
    private void uplink(ChannelHandlerContext ctx, Session session, Frame.Uplink uplink) {
        Channel channel = ctx.channel();
        uplinks.accept(session, uplink.appId(), uplink.payload()).whenComplete((id, error) -> {
            Frame answer = error == null
                    ? new Frame.UplinkAck(uplink.seq(), id)
                    : new Frame.ErrorFrame(uplink.seq(), ErrorCode.UPLINK_REJECTED,
                            error instanceof UplinkIntake.Rejected ? error.getMessage() : "could not be stored; retry");
            channel.writeAndFlush(answer, channel.voidPromise());
        });
    }

    private void handshake(ChannelHandlerContext ctx, Frame.Connect connect) {
        DeviceSessions.Refusal refusal = sessions.check(connect.deviceId(), connect.apps());
        if (refusal != null) {
            log.debug("refused {} from {}: {} {}", connect.deviceId(), ctx.channel().remoteAddress(),
                    refusal.code(), refusal.message());
            refuse(ctx, refusal.code() == ErrorCode.SERVER_SHUTDOWN
                    ? new Frame.Disconnect(connect.seq(), refusal.code(), refusal.message())
                    : new Frame.ConnAck(connect.seq(), refusal.code(), 0, refusal.message()));
            return;
        }
        Channel channel = ctx.channel();
        DeviceSessions.Opened opened = sessions.open(new NativeConnection(channel), connect.deviceId(), connect.apps());
        // CONNACK OK once the routes are written: a push sent after the device reads it reaches the device. The
        // round that writes them also reads the device's token revocation: lateRefusal is that, or a failed write.
        sessions.whenRouted(opened, lateRefusal -> {
            if (lateRefusal != null) {
                refuse(ctx, new Frame.ConnAck(connect.seq(), lateRefusal.code(), 0, lateRefusal.message()));
                return;
            }
            channel.write(new Frame.ConnAck(connect.seq(), ErrorCode.OK, heartbeatSeconds, ""), channel.voidPromise());
            sessions.replayWhenRouted(opened, connect.apps());
            sessions.connAcked(opened, early -> handle(ctx, opened.session(), (Frame) early));
        });
    }

    /**
     * Sends {@code reply} and closes. Before a handshake the channel is marked refused so frames
     * already decoded are ignored; an established session keeps its attribute so that
     * {@link #channelInactive} still unregisters it.
     */
    private static void refuse(ChannelHandlerContext ctx, Frame reply) {
        Session.markRefused(ctx.channel());
        FrameDecoder.endInput(ctx.channel());
        ctx.channel().config().setAutoRead(false);
        ctx.channel().writeAndFlush(reply).addListener(WebSocketFrames.END);
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
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Frame frame)) {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf out = ctx.alloc().ioBuffer();
        try {
            FrameCodec.encode(frame, out);
        } catch (RuntimeException e) {
            out.release();
            promise.setFailure(e);
            return;
        }
        ctx.write(out, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Session session = Session.of(ctx.channel());
        if (session != null) {
            rooms.closed(session.connection());
        }
        sessions.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ConnectionFailures.close(ctx, cause, log, "connection");
    }
}
