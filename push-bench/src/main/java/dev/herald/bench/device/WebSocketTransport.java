package dev.herald.bench.device;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Devices over WebSocket ({@code ws://<node>/ws} or, with TLS, {@code wss://}; docs/protocol.md "WebSocket"): the native protocol
 * unchanged, one native frame (with its length prefix) per binary message. The device logic is
 * {@link NativeDeviceHandler} itself, behind {@link NativeOverWebSocket}; Netty's handshaker replaces
 * the HTTP codec by the WebSocket frame codec once the upgrade is done, so a connection then carries
 * the two WebSocket codecs, the protocol handler, the adapter and the device.
 */
final class WebSocketTransport implements DeviceTransport {

    static final String PATH = "/ws";

    private final DeviceSockets sockets;
    private final long handshakeTimeoutNanos;
    private final int maxFrameBytes;
    private final String scheme;

    WebSocketTransport(EventLoops loops, Duration connectTimeout, int maxFrameBytes, ClientTls tls) {
        this.sockets = new DeviceSockets(loops, connectTimeout, tls);
        this.handshakeTimeoutNanos = connectTimeout.toNanos();
        this.maxFrameBytes = maxFrameBytes;
        this.scheme = tls.enabled() ? "wss" : "ws";
    }

    @Override
    public CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server,
                                                       InetSocketAddress local, DeliverySink sink) {
        CompletableFuture<DeviceConnection> done = new CompletableFuture<>();
        NativeDeviceHandler device = new NativeDeviceHandler(login, sink, done, handshakeTimeoutNanos);
        URI uri = URI.create(scheme + "://" + server.getHostString() + ":" + server.getPort() + PATH);
        sockets.connect(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(pipeline(uri, handshakeTimeoutNanos / 1_000_000, maxFrameBytes, device));
            }
        }, server, local, done);
        return done;
    }

    /** The handlers of one WebSocket device, in pipeline order (also used by the tests). */
    static ChannelHandler[] pipeline(URI uri, long handshakeTimeoutMillis, int maxFrameBytes, NativeDeviceHandler device) {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .maxFramePayloadLength(maxFrameBytes + 4)
                .handshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis))
                // binary messages only: a UTF-8 validator per connection would be dead weight
                .withUTF8Validator(false)
                .build();
        return new ChannelHandler[] {new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(config), NativeOverWebSocket.INSTANCE, device};
    }

    @Override
    public long tlsSessionsResumed() {
        return sockets.tlsSessionsResumed();
    }
}
