package dev.herald.client;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;

/** TLS to the access node: the client context the builder makes, and the handler of each connection. */
final class ClientTls {

    private ClientTls() {
    }

    /** A context of the given trust, TLS 1.3 or 1.2 only, verifying the server's host name. */
    static SslContext context(SslContextBuilder builder) {
        try {
            return builder.protocols("TLSv1.3", "TLSv1.2").endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The handler of one connection to {@code target}, the first in its pipeline. */
    static SslHandler handler(SslContext context, ByteBufAllocator alloc, InetSocketAddress target) {
        // The host name goes into SNI and is what the server's certificate is verified against.
        SslHandler ssl = context.newHandler(alloc, target.getHostString(), target.getPort());
        ssl.setHandshakeTimeoutMillis(0); // the attempt's own timeout covers the handshake
        return ssl;
    }
}
