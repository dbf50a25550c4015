package dev.herald.access.server;

import dev.herald.access.AccessProperties;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.room.MembershipRecorder;
import dev.herald.access.route.NodePresence;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The device listener (native frames, WebSocket and MQTT 3.1.1 on one port) and the node's start and
 * stop sequence. A plain Netty server (epoll when the native library loads, NIO otherwise; Reactor
 * Netty would add an operations object, an inbound flux and a bridge handler to every connection, which
 * nothing here uses). The listening socket's {@link AcceptGate} resets connection floods from one address
 * before they are set up. Each connection runs one handler per concern, set up by
 * {@link DeviceChannelInitializer}: {@link BlockedAddressFilter} (closes blacklisted clients at accept
 * time) → {@link ProtocolDetector} (replaced by the transport's codecs, see {@link TransportPipelines}) →
 * the transport's session handler. The handshake deadline
 * and the heartbeat (2 × heartbeat, or 1.5 × the MQTT keep-alive) are no handlers and no timers of
 * their own: {@link ConnectionDeadlines} sweeps each event loop's connections.
 *
 * <p>Start: announce the node in {@code h:nodes}, remove room memberships an earlier run left, then listen (with ZooKeeper, the node registers in
 * discovery once the HTTP server is up too: {@code dev.herald.access.discovery}). Stop: leave
 * {@code h:nodes}, stop listening, disconnect every device with SERVER_SHUTDOWN and remove their
 * routes, write the room leaves, send the pending acknowledgements to the saver, then release the event loops.
 */
@Component
public final class AccessServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessServer.class);

    /**
     * After Lettuce (phase 0) and the delivery reader, before the HTTP server: health answers only
     * once devices can connect, and on shutdown Redis is still there for the routes.
     */
    public static final int PHASE = 1000;

    private final AccessProperties properties;
    private final DeviceChannelInitializer connections;
    private final NodePresence presence;
    private final AckForwarder acks;
    private final AcceptGate acceptGate;
    private final MembershipRecorder rooms;

    private volatile Channel server;
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;

    public AccessServer(AccessProperties properties, DeviceChannelInitializer connections, NodePresence presence,
                        AckForwarder acks, AcceptGate acceptGate, MembershipRecorder rooms) {
        this.properties = properties;
        this.connections = connections;
        this.presence = presence;
        this.acks = acks;
        this.acceptGate = acceptGate;
        this.rooms = rooms;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        presence.join();
        rooms.purgeLeftovers(properties.shutdownTimeout());
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("herald-access-accept", true), io);
        workers = new MultiThreadIoEventLoopGroup(Math.max(Runtime.getRuntime().availableProcessors(), 4),
                new DefaultThreadFactory("herald-access", true), io);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        try {
            server = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(channelType)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // On the listening socket: floods from one address are reset before they cost a pipeline.
                    .handler(acceptGate)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    // One allocator for all connections (the default is one per connection; handles stay per connection).
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
                    .childHandler(connections)
                    .bind(properties.host(), properties.port())
                    .syncUninterruptibly()
                    .channel();
        } catch (Exception e) { // syncUninterruptibly() rethrows a failed bind's BindException unchecked
            presence.leave();
            shutDownLoops(Duration.ofSeconds(2));
            throw e instanceof RuntimeException r ? r
                    : new IllegalStateException("cannot listen on " + properties.host() + ":" + properties.port(), e);
        }
        log.info("access node {} listening on {}:{} ({})", properties.nodeId(), properties.host(), port(),
                epoll ? "epoll" : "nio");
    }

    /** The bound port of the native listener (useful when {@code herald.access.port} is 0). */
    public int port() {
        Channel s = server;
        if (s == null) {
            throw new IllegalStateException("access server is not running");
        }
        return ((InetSocketAddress) s.localAddress()).getPort();
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        Duration timeout = properties.shutdownTimeout();
        log.info("access node {} stopping", properties.nodeId());
        if (!server.close().awaitUninterruptibly(timeout.toMillis())) {
            log.warn("listener of node {} did not close within {}", properties.nodeId(), timeout);
        }
        presence.leave();
        try {
            // Closed connections left their rooms on the way out; their leaves go to Redis now.
            rooms.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("room membership changes of node {} not written: {}", properties.nodeId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            acks.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("pending acknowledgements of node {} not sent: {}", properties.nodeId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDownLoops(timeout);
        server = null;
        log.info("access node {} stopped", properties.nodeId());
    }

    private void shutDownLoops(Duration timeout) {
        long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            group.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!group.terminationFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                log.warn("event loops of node {} did not stop within {}", properties.nodeId(), timeout);
            }
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
