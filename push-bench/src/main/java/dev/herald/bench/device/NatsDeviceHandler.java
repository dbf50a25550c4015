package dev.herald.bench.device;

import dev.herald.bench.clock.EpochMicros;
import dev.herald.bench.nats.NatsCommands;
import dev.herald.bench.nats.NatsFrame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One simulated device as a NATS subscriber: after the server's {@code INFO} it sends {@code CONNECT},
 * {@code SUB dev.<device> 1}, {@code SUB all 2} and {@code PING} in one write; the {@code PONG} says the
 * server has processed the subscriptions and completes the login. Every {@code MSG} goes to the
 * {@link DeliverySink}; the server's {@code PING}s are answered with {@code PONG}, flushed once per read burst.
 * NATS has no acknowledgements at this level (core NATS, at most once), and the server keeps the connection
 * alive with its own pings, so the sweeper has nothing to do here.
 */
final class NatsDeviceHandler extends SimulatedDevice {

    /** The unicast subject of a device; {@link #BROADCAST_SUBJECT} reaches every device. */
    static String deviceSubject(String deviceId) {
        return "dev." + deviceId;
    }

    static final String BROADCAST_SUBJECT = "all";


    private boolean connectSent;
    private boolean unflushed;

    NatsDeviceHandler(DeviceLogin login, DeliverySink sink, CompletableFuture<DeviceConnection> done,
                      long handshakeTimeoutNanos) {
        super(login, sink, done, handshakeTimeoutNanos);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHandshakeDeadline(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof NatsFrame.Msg message) {
                sink.delivered(message.content(), false, EpochMicros.now());
            } else if (msg instanceof NatsFrame.Info && !connectSent) {
                connectSent = true;
                ctx.writeAndFlush(NatsCommands.lines(ctx.alloc(), NatsCommands.connect(login.deviceId()),
                        NatsCommands.subscribe(deviceSubject(login.deviceId()), "1"),
                        NatsCommands.subscribe(BROADCAST_SUBJECT, "2"), NatsCommands.PING), ctx.voidPromise());
            } else if (msg instanceof NatsFrame.Ping) {
                ctx.write(NatsCommands.lines(ctx.alloc(), NatsCommands.PONG), ctx.voidPromise());
                unflushed = true;
            } else if (msg instanceof NatsFrame.Pong && !loggedIn && connectSent) {
                loginCompleted();
            } else if (msg instanceof NatsFrame.Err err) {
                endReason = "NATS_ERR";
                if (!loggedIn) {
                    done.completeExceptionally(new DeviceRefusedException("NATS_ERR", "-ERR " + err.message()));
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    @Override
    protected String awaitedAnswer() {
        return "PONG";
    }

    /** The server pings (every 2 minutes by default) and is answered in channelRead: the device never needs to. */
    @Override
    protected long keepAliveNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    protected void ping(Channel ch) {
        // never called: see keepAliveNanos
    }

    @Override
    protected void goodbye(Channel ch) {
        ch.close(); // NATS has no goodbye
    }
}
