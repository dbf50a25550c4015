package dev.herald.bench.device;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What every simulated device's handler does whatever its protocol: the login it completes ({@code done}) within a
 * handshake deadline, a keep-alive ping when nothing was written for a while, a goodbye when the fleet closes it,
 * and how the connection's end is reported (a refused or failed login fails {@code done}; a drop after the login
 * goes to the {@link DeliverySink}, unless the fleet closed it). A subclass speaks its protocol.
 */
abstract class SimulatedDevice extends ChannelInboundHandlerAdapter implements DeviceConnection {

    protected final DeviceLogin login;
    protected final DeliverySink sink;
    protected final CompletableFuture<DeviceConnection> done;
    private final long handshakeTimeoutNanos;

    protected volatile Channel channel;
    protected volatile boolean loggedIn;
    protected volatile long lastWriteNanos;
    private volatile boolean closing;
    private ScheduledFuture<?> handshakeDeadline;
    /** Why the connection ended, when known before it closes (an error code, a failure's name). */
    protected String endReason;

    SimulatedDevice(DeviceLogin login, DeliverySink sink, CompletableFuture<DeviceConnection> done,
                    long handshakeTimeoutNanos) {
        this.login = login;
        this.sink = sink;
        this.done = done;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    /** The answer whose arrival completes the login (for the message of a connection that ended first). */
    protected abstract String awaitedAnswer();

    /** The nanoseconds without a write after which the device pings; {@link Long#MAX_VALUE}: never. */
    protected abstract long keepAliveNanos();

    /** Writes the protocol's ping (on the channel's event loop). */
    protected abstract void ping(Channel channel);

    /** Writes the protocol's goodbye and closes (on the channel's event loop, the channel active). */
    protected abstract void goodbye(Channel channel);

    @Override
    public DeviceLogin login() {
        return login;
    }

    /** From {@code channelActive}: the login must complete within the handshake timeout, or the connection closes. */
    protected final void startHandshakeDeadline(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshakeDeadline = ctx.executor().schedule(() -> {
            if (!loggedIn) {
                endReason = "HANDSHAKE_TIMEOUT";
                ctx.close();
            }
        }, handshakeTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    /** The login is complete: the deadline goes, {@code done} completes with this connection. */
    protected final void loginCompleted() {
        cancelHandshakeDeadline();
        loggedIn = true;
        done.complete(this);
    }

    protected final void cancelHandshakeDeadline() {
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
    }

    @Override
    public boolean isOpen() {
        Channel ch = channel;
        return loggedIn && ch != null && ch.isActive();
    }

    @Override
    public void keepAlive(long nowNanos) {
        Channel ch = channel;
        if (!loggedIn || ch == null || !ch.isActive() || nowNanos - lastWriteNanos < keepAliveNanos()) {
            return;
        }
        lastWriteNanos = nowNanos;
        ch.eventLoop().execute(() -> {
            if (ch.isActive()) {
                ping(ch);
            }
        });
    }

    @Override
    public void close() {
        closing = true;
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            if (ch.isActive()) {
                goodbye(ch);
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelHandshakeDeadline();
        String reason = endReason != null ? endReason : "CLOSED";
        if (!done.isDone()) {
            done.completeExceptionally(new DeviceRefusedException(reason, "connection ended before " + awaitedAnswer()));
        } else if (loggedIn && !closing) {
            sink.disconnected(login, reason);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (endReason == null) {
            endReason = cause instanceof DeviceRefusedException refused ? refused.reason()
                    : cause instanceof IOException ? "IO_ERROR" : cause.getClass().getSimpleName();
        }
        ctx.close();
    }
}
