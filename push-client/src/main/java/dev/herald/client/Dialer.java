package dev.herald.client;

import dev.herald.protocol.FrameDecoder;
import dev.herald.protocol.FrameEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;

/**
 * Opens the connection of one attempt on the client's event loop: TCP, then TLS when configured, the frame
 * codec and the attempt's own {@link ConnectionHandler}. Knows nothing of what happens on it afterwards.
 */
final class Dialer {

    private final EventLoop loop;
    private final Class<? extends SocketChannel> channelType;
    /** {@code null} for plaintext. */
    private final SslContext tls;
    private final int maxFrameBytes;
    private final long connectTimeoutMillis;

    Dialer(EventLoop loop, Class<? extends SocketChannel> channelType, SslContext tls, int maxFrameBytes,
           long connectTimeoutMillis) {
        this.loop = loop;
        this.channelType = channelType;
        this.tls = tls;
        this.maxFrameBytes = maxFrameBytes;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /** Time allowed for TCP connect plus CONNACK. */
    long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    ChannelFuture dial(InetSocketAddress target, ConnectionHandler handler) {
        return new Bootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(ClientTls.handler(tls, ch.alloc(), target));
                        }
                        ch.pipeline().addLast(new FrameDecoder(maxFrameBytes), FrameEncoder.INSTANCE, handler);
                    }
                })
                .connect(target);
    }
}
