package dev.herald.client;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol on one connection of a {@link PushClient}: CONNECT on connect, CONNACK, pushes and their
 * batched ACKs, uplinks and their answers, heartbeats. A new handler serves each (re)connection and reports
 * its acceptance and its end to the {@link ConnectionLifecycle}; what outlives a connection (cursors, recent
 * ids, rooms, listener) belongs to the client's other parts. Runs on the client's event loop only.
 */
final class ConnectionHandler extends SimpleChannelInboundHandler<Frame> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    static final String HEARTBEAT_HANDLER = "heartbeat";

    private final ConnectionLifecycle lifecycle;
    private final DeviceLogin login;
    private final PushReceiver pushes;
    private final RoomMemberships rooms;
    private final GuardedListener listener;
    private final AckBatch acks = new AckBatch();
    /** Uplinks sent on this connection and not answered yet, by the UPLINK's seq. */
    private final Map<Integer, CompletableFuture<MessageId>> uplinks = new HashMap<>();
    /** Room requests (JOIN, LEAVE, SEND) sent on this connection and not answered yet, by seq. */
    private final Map<Integer, CompletableFuture<Frame.RoomAck>> roomRequests = new HashMap<>();
    private ChannelHandlerContext ctx;
    private int seq;
    private boolean connected;
    private ErrorCode closeReason;
    private String closeMessage;
    private boolean closedByServer;
    private boolean refused;
    private Throwable failure;

    ConnectionHandler(ConnectionLifecycle lifecycle, DeviceLogin login, PushReceiver pushes, RoomMemberships rooms,
                      GuardedListener listener) {
        this.lifecycle = lifecycle;
        this.login = login;
        this.pushes = pushes;
        this.rooms = rooms;
        this.listener = listener;
    }

    boolean isConnected() {
        return connected;
    }

    ErrorCode closeReason() {
        return closeReason;
    }

    String closeMessage() {
        return closeMessage;
    }

    Throwable failure() {
        return failure;
    }

    /** The server answered CONNECT with a CONNACK other than OK. */
    boolean refused() {
        return refused;
    }

    /** The server ended the connection with a reason: a refusing CONNACK or a DISCONNECT. */
    boolean closedByServer() {
        return closedByServer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Frame.Connect connect;
        try {
            connect = login.connectFrame(nextSeq());
        } catch (RuntimeException e) {
            failure = e;
            closeMessage = "cannot build CONNECT: " + e.getMessage();
            ctx.close();
            return;
        }
        ctx.writeAndFlush(connect).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                failure = f.cause();
                closeMessage = "cannot send CONNECT: " + f.cause().getMessage();
                f.channel().close();
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        if (frame instanceof Frame.Push push) {
            if (connected) {
                pushes.receive(push, acks);
            } else {
                log.debug("PUSH before CONNACK ignored: {}", push);
            }
        } else if (frame instanceof Frame.ConnAck connAck) {
            handleConnAck(ctx, connAck);
        } else if (frame instanceof Frame.Ping ping) {
            ctx.write(new Frame.Pong(ping.seq()));
        } else if (frame instanceof Frame.UplinkAck ack) {
            CompletableFuture<MessageId> pending = uplinks.remove(ack.seq());
            if (pending != null) {
                pending.complete(ack.messageId());
            } else {
                log.debug("UPLINK_ACK for no pending uplink ignored: {}", ack);
            }
        } else if (frame instanceof Frame.RoomMessage message) {
            if (connected) {
                rooms.message(message);
            }
        } else if (frame instanceof Frame.RoomAck ack) {
            CompletableFuture<Frame.RoomAck> pending = ack.seq() == 0 ? null : roomRequests.remove(ack.seq());
            if (pending != null) {
                pending.complete(ack);
            } else if (ack.kind() == Frame.RoomAck.Kind.REMOVED) {
                rooms.removed(ack.appId(), ack.roomId(), ack.code());
            }
        } else if (frame instanceof Frame.ErrorFrame error) {
            CompletableFuture<MessageId> pending = uplinks.remove(error.seq());
            CompletableFuture<Frame.RoomAck> room = pending == null ? roomRequests.remove(error.seq()) : null;
            if (pending != null) {
                pending.completeExceptionally(new PushClientException(error.code(),
                        error.message().isEmpty() ? "uplink refused" : error.message()));
            } else if (room != null) {
                room.completeExceptionally(new PushClientException(error.code(),
                        error.message().isEmpty() ? "refused" : error.message()));
            } else {
                listener.call(l -> l.onError(error.code(), error.message()));
            }
        } else if (frame instanceof Frame.Disconnect disconnect) {
            closeWith(disconnect.code(), disconnect.message(), true);
        } else if (!(frame instanceof Frame.Pong)) {
            log.debug("unexpected frame from the server ignored: {}", frame);
        }
    }

    private void handleConnAck(ChannelHandlerContext ctx, Frame.ConnAck connAck) {
        if (connected) {
            log.debug("second CONNACK ignored: {}", connAck);
            return;
        }
        if (connAck.code() != ErrorCode.OK) {
            refused = closeReason == null;
            closeWith(connAck.code(), connAck.message().isEmpty() ? "connection refused" : connAck.message(), true);
            return;
        }
        connected = true;
        long interval = login.heartbeatMillis(connAck.heartbeatSeconds());
        // Writer idle: PING only when nothing else was sent. Reader idle: the server answers every PING,
        // so three silent intervals mean it (or the path to it) is gone.
        ctx.pipeline().addBefore(ctx.name(), HEARTBEAT_HANDLER,
                new IdleStateHandler(3 * interval, interval, 0, TimeUnit.MILLISECONDS));
        if (lifecycle.handshakeSucceeded(this)) {
            // Membership belongs to a connection: the rooms the device was in are joined again on this one.
            rooms.rejoin(this::roomRequest);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushAcks();
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new Frame.Ping(nextSeq()));
            } else if (idle.state() == IdleState.READER_IDLE) {
                closeWith(ErrorCode.HEARTBEAT_TIMEOUT, "no frame from the server in three heartbeat intervals", false);
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection to {} failed", ctx.channel().remoteAddress(), cause);
        if (failure == null) {
            failure = cause;
            closeMessage = String.valueOf(cause.getMessage());
        }
        ctx.close();
    }

    /** Called by the client when no CONNACK came within the connect timeout. */
    void handshakeTimedOut(long timeoutMillis) {
        if (!connected && ctx != null) {
            closeWith(ErrorCode.HANDSHAKE_TIMEOUT, "no CONNACK within " + timeoutMillis + " ms", false);
        }
    }

    /** Sends the acknowledgements of messages the application acknowledged itself. */
    void ack(List<PushMessage> messages) {
        if (!connected || !ctx.channel().isActive()) {
            // The server keeps unacknowledged messages and sends them again; the dedup window then ACKs them.
            log.debug("{} ACKs dropped: not connected", messages.size());
            return;
        }
        for (PushMessage m : messages) {
            acks.add(m.id());
            if (m.broadcast()) {
                acks.cursor(m.appId(), m.broadcastSeq());
            }
        }
        flushAcks();
        ctx.flush();
    }

    /** Sends an UPLINK; {@code result} completes on its UPLINK_ACK or ERROR, or when the connection ends. */
    void uplink(String appId, byte[] payload, CompletableFuture<MessageId> result) {
        int uplinkSeq = nextSeq();
        uplinks.put(uplinkSeq, result);
        ctx.writeAndFlush(new Frame.Uplink(uplinkSeq, appId, payload)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && uplinks.remove(uplinkSeq) == result) {
                result.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED,
                        "cannot send UPLINK: " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    /** Sends a room request; {@code result} completes on its ROOM_ACK or ERROR, or when the connection ends. */
    void roomRequest(java.util.function.IntFunction<Frame> request, CompletableFuture<Frame.RoomAck> result) {
        int requestSeq = nextSeq();
        roomRequests.put(requestSeq, result);
        ctx.writeAndFlush(request.apply(requestSeq)).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess() && roomRequests.remove(requestSeq) == result) {
                result.completeExceptionally(new PushClientException(ErrorCode.ROOM_REJECTED,
                        "cannot send: " + f.cause().getMessage(), f.cause()));
            }
        });
    }

    /** Fails the room requests still waiting for an answer: the connection ended. */
    void failRoomRequests(PushClientException reason) {
        if (roomRequests.isEmpty()) {
            return;
        }
        List<CompletableFuture<Frame.RoomAck>> pending = new ArrayList<>(roomRequests.values());
        roomRequests.clear();
        for (CompletableFuture<Frame.RoomAck> request : pending) {
            request.completeExceptionally(new PushClientException(ErrorCode.ROOM_REJECTED,
                    "the connection ended before the answer (" + reason.getMessage() + ")", reason));
        }
    }

    /**
     * Fails the uplinks still waiting for an answer: the connection ended. {@code reason} says why; whether
     * the server stored them is unknown.
     */
    void failUplinks(PushClientException reason) {
        if (uplinks.isEmpty()) {
            return;
        }
        List<CompletableFuture<MessageId>> pending = new ArrayList<>(uplinks.values());
        uplinks.clear();
        for (CompletableFuture<MessageId> uplink : pending) {
            uplink.completeExceptionally(new PushClientException(ErrorCode.UPLINK_REJECTED,
                    "the connection ended before UPLINK_ACK (" + reason.getMessage() + "); the uplink may or may not be stored",
                    reason));
        }
    }

    /** Says goodbye with DISCONNECT(CLIENT_DISCONNECT), after the ACKs still pending, and closes. */
    void disconnect() {
        closeReason = ErrorCode.CLIENT_DISCONNECT;
        closeMessage = "closed by the client";
        if (connected) {
            flushAcks();
        }
        ctx.writeAndFlush(new Frame.Disconnect(nextSeq(), ErrorCode.CLIENT_DISCONNECT, closeMessage))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void flushAcks() {
        for (Frame.Ack ack : acks.drain(this::nextSeq)) {
            ctx.write(ack);
        }
    }

    private void closeWith(ErrorCode reason, String message, boolean byServer) {
        if (closeReason == null) {
            closeReason = reason;
            closeMessage = message;
            closedByServer = byServer;
        }
        ctx.close();
    }

    private int nextSeq() {
        return ++seq;
    }
}
