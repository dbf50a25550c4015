package dev.herald.access.server;

import dev.herald.access.AccessProperties;
import dev.herald.access.nativeprotocol.ConnectionHandler;
import dev.herald.access.session.ConnectionDeadlines;
import dev.herald.access.session.ConnectionMeters;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * How a connection with no session by {@code handshake-timeout} ends ({@link ConnectionDeadlines} notices it):
 * DISCONNECT HANDSHAKE_TIMEOUT when the connection speaks native frames (TCP, or WebSocket once upgraded), a
 * silent close otherwise (the {@code rejected{reason=timeout}} counter; {@code tls-timeout} while a TLS handshake
 * is unfinished). Here because only the server knows what its pipelines hold.
 */
@Component
public final class HandshakeTimeouts implements ConnectionDeadlines.HandshakeTimeout {

    private final long handshakeTimeoutNanos;
    private final ConnectionMeters meters;

    public HandshakeTimeouts(AccessProperties properties, ConnectionMeters meters) {
        this.handshakeTimeoutNanos = properties.handshakeTimeout().toNanos();
        this.meters = meters;
    }

    @Override
    public void expired(Channel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(ConnectionHandler.class) != null && pipeline.get(HttpServerCodec.class) == null) {
            // Written from the tail, so it goes through the transport's encoders.
            channel.writeAndFlush(new Frame.Disconnect(0, ErrorCode.HANDSHAKE_TIMEOUT,
                            "no CONNECT within " + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (tlsUnfinished(pipeline)) {
            // A TLS handshake that never finished: the deadline is the connection's, the SslHandler has no timer.
            meters.rejected("tls-timeout");
            channel.close();
        } else {
            // Protocol not detected yet, a WebSocket upgrade request still unfinished (the HTTP codec
            // leaves once the upgrade is done; until then no native frame can be written), or MQTT,
            // which has no way to say why before CONNACK.
            meters.rejected("timeout");
            channel.close();
        }
    }

    private static boolean tlsUnfinished(ChannelPipeline pipeline) {
        SslHandler tls = pipeline.get(SslHandler.class);
        return tls != null && !tls.handshakeFuture().isDone();
    }
}
