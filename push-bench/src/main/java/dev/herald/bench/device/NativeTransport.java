package dev.herald.bench.device;

import io.netty.channel.ChannelInitializer;
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

    private final DeviceSockets sockets;
    private final long handshakeTimeoutNanos;
    private final int maxFrameBytes;

    NativeTransport(EventLoops loops, Duration connectTimeout, int maxFrameBytes, ClientTls tls) {
        this.sockets = new DeviceSockets(loops, connectTimeout, tls);
        this.handshakeTimeoutNanos = connectTimeout.toNanos();
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server,
                                                       InetSocketAddress local, DeliverySink sink) {
        CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
        NativeDeviceHandler handler = new NativeDeviceHandler(login, sink, done, handshakeTimeoutNanos);
        sockets.connect(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4), handler);
            }
        }, server, local, done);
        return done;
    }

    @Override
    public long tlsSessionsResumed() {
        return sockets.tlsSessionsResumed();
    }
}
