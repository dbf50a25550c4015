package dev.herald.bench.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The TCP (and TLS) side every device transport shares: one bootstrap template per fleet, one connect per
 * device, with an {@link io.netty.handler.ssl.SslHandler} before the protocol's handlers when the fleet speaks TLS.
 */
final class DeviceSockets {

    private final Bootstrap bootstrap;
    private final ClientTls tls;

    DeviceSockets(EventLoops loops, Duration connectTimeout, ClientTls tls) {
        this.tls = tls;
        this.bootstrap = new Bootstrap()
                .group(loops.group())
                .channel(loops.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        if (loops.epoll()) {
            // Choose the source port at connect() instead of bind(): ports are then unique per
            // (source, destination) pair, not per source address.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    /**
     * Connects with {@code initializer} as the channel's handler (after TLS, if on); fails {@code done} if the TCP
     * connect or the TLS handshake fails.
     */
    void connect(ChannelHandler initializer, InetSocketAddress server, InetSocketAddress local,
                 CompletableFuture<DeviceConnection> done) {
        Bootstrap b = bootstrap.clone().handler(tls.around(initializer, server, done));
        ChannelFuture connect = local == null ? b.connect(server) : b.connect(server, local);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
    }

    /** TLS handshakes of these sockets so far that resumed a session. */
    long tlsSessionsResumed() {
        return tls.sessionsResumed();
    }
}
