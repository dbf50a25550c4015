package dev.herald.access.server;

import dev.herald.access.AccessMetrics;
import dev.herald.access.AccessProperties;
import dev.herald.access.mqtt.MqttConnectionHandler;
import dev.herald.access.offline.AckForwarder;
import dev.herald.access.route.NodePresence;
import dev.herald.access.session.HandshakeTimeout;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.netty.ConnectionObserver;
import reactor.netty.DisposableServer;
import reactor.netty.NettyPipeline;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The device listener (native frames, WebSocket and MQTT 3.1.1 on one port) and the node's start and
 * stop sequence. Reactor Netty binds the socket; each connection then runs only plain Netty handlers,
 * one per concern: {@link BlockedAddressFilter} (closes blacklisted clients at accept time) →
 * {@link ProtocolDetector} (replaced by the transport's codecs, see {@link TransportPipelines}) →
 * {@link HandshakeTimeout} → {@link IdleStateHandler} (reader idle = 2 × heartbeat, or 1.5 × the MQTT
 * keep-alive) → the transport's session handler. No Reactor pipeline is set up per connection:
 * packets never reach Reactor Netty's bridge.
 *
 * <p>Start: announce the node in {@code h:nodes}, then listen (with ZooKeeper, the node registers in
 * discovery once the HTTP server is up too: {@code dev.herald.access.discovery}). Stop: leave
 * {@code h:nodes}, stop listening, disconnect every device with SERVER_SHUTDOWN and remove their
 * routes, send the pending acknowledgements to the saver, then release the event loops.
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
    private final TransportPipelines transports;
    private final AccessMetrics metrics;
    private final NodePresence presence;
    private final AckForwarder acks;
    private final BlockedAddressFilter blockedAddresses;

    private volatile DisposableServer server;
    private LoopResources loops;

    public AccessServer(AccessProperties properties, TransportPipelines transports, AccessMetrics metrics,
                        NodePresence presence, AckForwarder acks, BlockedAddressFilter blockedAddresses) {
        this.properties = properties;
        this.transports = transports;
        this.metrics = metrics;
        this.presence = presence;
        this.acks = acks;
        this.blockedAddresses = blockedAddresses;
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        presence.join();
        loops = LoopResources.create("herald-access", 1, LoopResources.DEFAULT_IO_WORKER_COUNT, true);
        try {
            server = TcpServer.create()
                    .runOn(loops)
                    .host(properties.host())
                    .port(properties.port())
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .doOnChannelInit(this::initPipeline)
                    // Reactor Netty reads only on demand of its inbound Flux, which nothing subscribes
                    // to here: the handlers above consume every frame, so the socket reads freely.
                    .doOnConnection(connection -> connection.channel().config().setAutoRead(true))
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            presence.leave();
            loops.dispose();
            throw e;
        }
        log.info("access node {} listening on {}:{}", properties.nodeId(), properties.host(), server.port());
    }

    private void initPipeline(ConnectionObserver observer, Channel channel, SocketAddress remote) {
        ChannelPipeline pipeline = channel.pipeline();
        // Ahead of everything, Reactor Netty's handlers included: a blocked client is closed unread.
        pipeline.addFirst(BlockedAddressFilter.NAME, blockedAddresses);
        // Reactor Netty has already added its bridge; ours go in front of it, in this order.
        // The detector installs the transport's handlers in its own place and removes itself.
        String bridge = NettyPipeline.ReactiveBridge;
        pipeline.addBefore(bridge, ProtocolDetector.NAME,
                new ProtocolDetector(transports, metrics, properties.maxFrameBytes()));
        pipeline.addBefore(bridge, HandshakeTimeout.NAME, new HandshakeTimeout(properties.handshakeTimeout(),
                () -> metrics.rejected("timeout")));
        pipeline.addBefore(bridge, MqttConnectionHandler.IDLE_HANDLER, new IdleStateHandler(false,
                properties.heartbeatTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }

    /** The bound port of the native listener (useful when {@code herald.access.port} is 0). */
    public int port() {
        DisposableServer s = server;
        if (s == null) {
            throw new IllegalStateException("access server is not running");
        }
        return s.port();
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        Duration timeout = properties.shutdownTimeout();
        log.info("access node {} stopping", properties.nodeId());
        try {
            server.disposeNow(timeout);
        } catch (RuntimeException e) {
            log.warn("listener of node {} did not close within {}: {}", properties.nodeId(), timeout, e.toString());
        }
        presence.leave();
        try {
            acks.flush().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            log.warn("pending acknowledgements of node {} not sent: {}", properties.nodeId(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            loops.disposeLater(Duration.ZERO, timeout).block(timeout.plusSeconds(1));
        } catch (RuntimeException e) {
            log.warn("event loops of node {} did not stop within {}: {}", properties.nodeId(), timeout, e.toString());
        }
        server = null;
        log.info("access node {} stopped", properties.nodeId());
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
