package dev.herald.access.server;

import dev.herald.access.AccessProperties;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The handler of the listening socket: sees every accepted connection before it is given an event loop
 * or a pipeline. It refuses connection floods from one address ({@code herald.access.connect-rate-per-ip},
 * a {@link PerAddressRateLimit}): a refused connection is reset at once (SO_LINGER 0, so no TIME_WAIT is
 * left on this side), costs no pipeline, no session and no deadline entry, and is counted as
 * {@code herald.access.connections.throttled}. It also counts the TCP connections open right now,
 * handshake done or not ({@code herald.access.sockets}): the figure that shows slow or silent clients
 * being let go.
 *
 * <p>Runs on the single accepting event loop, so its state needs no lock; loopback is exempt unless
 * {@code connect-rate-limits-loopback} (local tools and load tests connect from there).
 */
@Component
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptGate.class);

    private final PerAddressRateLimit limit;
    private final boolean limitsLoopback;
    private final AcceptMeters metrics;
    private final AtomicInteger open = new AtomicInteger();

    public AcceptGate(AccessProperties properties, AcceptMeters metrics) {
        this.limit = properties.connectRatePerIp() > 0 ? new PerAddressRateLimit(properties.connectRatePerIp(),
                properties.connectBurstPerIp(), properties.connectRateTrackedIps()) : null;
        this.limitsLoopback = properties.connectRateLimitsLoopback();
        this.metrics = metrics;
        metrics.openSockets(open);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child && !admit(child)) {
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private boolean admit(Channel child) {
        InetAddress address = child.remoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        if (limit != null && address != null && (limitsLoopback || !address.isLoopbackAddress())
                && !limit.tryAcquire(address, System.nanoTime())) {
            metrics.throttledConnection();
            log.debug("reset connection from {}: more than its connection rate", address.getHostAddress());
            try {
                child.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (RuntimeException e) {
                // not every transport has it; a plain close is fine too
            }
            child.unsafe().closeForcibly();
            return false;
        }
        open.incrementAndGet();
        child.closeFuture().addListener(closed -> open.decrementAndGet());
        return true;
    }

    /** TCP connections open now, including those still in their handshake. */
    public int openSockets() {
        return open.get();
    }
}
