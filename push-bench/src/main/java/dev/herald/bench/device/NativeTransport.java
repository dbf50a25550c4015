package dev.herald.bench.device;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Devices over Herald's native protocol, with a pipeline of two handlers per connection: the length
 * prefix splitter and {@link NativeDeviceHandler}. Much leaner than push-client (no reconnect, dedup
 * window, listener executor or per-connection timers beyond the handshake deadline), so one process
 * holds its share of 10⁵ devices.
 */
final class NativeTransport implements DeviceTransport {

    private final Bootstrap bootstrap;
    private final long handshakeTimeoutNanos;
    private final int maxFrameBytes;

    NativeTransport(EventLoops loops, Duration connectTimeout, int maxFrameBytes) {
        this.handshakeTimeoutNanos = connectTimeout.toNanos();
        this.maxFrameBytes = maxFrameBytes;
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

    @Override
    public CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server,
                                                       InetSocketAddress local, DeliverySink sink) {
        CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
        NativeDeviceHandler handler = new NativeDeviceHandler(login, sink, done, handshakeTimeoutNanos);
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4), handler);
            }
        });
        ChannelFuture connect = local == null ? b.connect(server) : b.connect(server, local);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }
}
