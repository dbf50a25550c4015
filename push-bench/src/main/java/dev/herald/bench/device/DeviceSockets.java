package dev.herald.bench.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The TCP side every device transport shares: one bootstrap template per fleet, one connect per device. */
final class DeviceSockets {

    private final Bootstrap bootstrap;

    DeviceSockets(EventLoops loops, Duration connectTimeout) {
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

    /** Connects with {@code initializer} as the channel's handler; fails {@code done} if the TCP connect fails. */
    void connect(ChannelHandler initializer, InetSocketAddress server, InetSocketAddress local,
                 CompletableFuture<DeviceConnection> done) {
        Bootstrap b = bootstrap.clone().handler(initializer);
        ChannelFuture connect = local == null ? b.connect(server) : b.connect(server, local);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
    }
}
