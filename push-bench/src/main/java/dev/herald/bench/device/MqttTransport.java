package dev.herald.bench.device;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Devices over MQTT 3.1.1 (docs/protocol.md "MQTT 3.1.1 mapping", or a plain broker's topics: see
 * {@link MqttDialect}): three handlers per connection, Netty's decoder, its sharable encoder and
 * {@link MqttDeviceHandler}.
 */
final class MqttTransport implements DeviceTransport {

    private final DeviceSockets sockets;
    private final long handshakeTimeoutNanos;
    private final int maxPacketBytes;
    private final MqttDialect dialect;

    MqttTransport(EventLoops loops, Duration connectTimeout, int maxPacketBytes, MqttDialect dialect, ClientTls tls) {
        this.sockets = new DeviceSockets(loops, connectTimeout, tls);
        this.handshakeTimeoutNanos = connectTimeout.toNanos();
        this.maxPacketBytes = maxPacketBytes;
        this.dialect = dialect;
    }

    @Override
    public CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server,
                                                       InetSocketAddress local, DeliverySink sink) {
        CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
        MqttDeviceHandler device = new MqttDeviceHandler(login, sink, done, handshakeTimeoutNanos, dialect);
        sockets.connect(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new MqttDecoder(maxPacketBytes), MqttEncoder.INSTANCE, device);
            }
        }, server, local, done);
        return done;
    }

    @Override
    public long tlsSessionsResumed() {
        return sockets.tlsSessionsResumed();
    }
}
