package dev.herald.access.session;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has not completed its handshake in time: with DISCONNECT HANDSHAKE_TIMEOUT
 * when it speaks native frames (TCP or WebSocket), silently otherwise. The {@link ConnectionHandler} removes it from the pipeline once the handshake
 * succeeds, which cancels the timer, so an established connection keeps neither.
 */
public final class HandshakeTimeout extends ChannelInboundHandlerAdapter {

    /** Name of this handler in the pipeline. */
    public static final String NAME = "herald.handshakeTimeout";

    private final long timeoutNanos;
    private final Runnable onSilentClose;
    private ScheduledFuture<?> timer;

    public HandshakeTimeout(Duration timeout) {
        this(timeout, null);
    }

    /** @param onSilentClose run when the connection is closed without a native DISCONNECT (e.g. a metric) */
    public HandshakeTimeout(Duration timeout, Runnable onSilentClose) {
        this.timeoutNanos = timeout.toNanos();
        this.onSilentClose = onSilentClose;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timer != null) {
            return;
        }
        timer = ctx.executor().schedule(() -> {
            Channel channel = ctx.channel();
            if (!channel.isActive() || channel.hasAttr(Session.KEY)) {
                return;
            }
            Session.markRefused(channel);
            if (channel.pipeline().get(FrameEncoder.class) != null) {
                // Written from the tail, so it goes through the transport's encoders wherever this handler sits.
                channel.writeAndFlush(new Frame.Disconnect(0, ErrorCode.HANDSHAKE_TIMEOUT,
                                "no CONNECT within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                // Protocol not detected yet, or one (MQTT) that has no way to say why before CONNACK.
                if (onSilentClose != null) {
                    onSilentClose.run();
                }
                channel.close();
            }
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
