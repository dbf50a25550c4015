package dev.herald.bench.device;

import dev.herald.bench.nats.NatsDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Devices as NATS subscribers (for the comparison with nats-server): {@link NatsDecoder} and {@link NatsDeviceHandler}. */
final class NatsTransport implements DeviceTransport {

    private final DeviceSockets sockets;
    private final long handshakeTimeoutNanos;
    private final int maxPayload;

    NatsTransport(EventLoops loops, Duration connectTimeout, int maxPayload) {
        this.sockets = new DeviceSockets(loops, connectTimeout, ClientTls.PLAINTEXT);
        this.handshakeTimeoutNanos = connectTimeout.toNanos();
        this.maxPayload = maxPayload;
    }

    @Override
    public CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server,
                                                       InetSocketAddress local, DeliverySink sink) {
        CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
        NatsDeviceHandler handler = new NatsDeviceHandler(login, sink, done, handshakeTimeoutNanos);
        sockets.connect(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new NatsDecoder(maxPayload), handler);
            }
        }, server, local, done);
        return done;
    }
}
