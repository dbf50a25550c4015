package dev.herald.bench.device;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of a fleet's connections, made once from {@link DeviceTls}: one client context shared by every
 * device, its session cache on only when resumption is measured ({@link DeviceTls#resume()}), and per connection an {@link SslHandler} put before the protocol's handlers. OpenSSL (BoringSSL) when it loads, like
 * the access node, so the load generator spends little CPU on crypto; the JDK's provider otherwise.
 */
final class ClientTls {

    private static final Logger log = LoggerFactory.getLogger(ClientTls.class);

    /** No TLS: the protocol's handlers are the whole pipeline. */
    static final ClientTls PLAINTEXT = new ClientTls(null, "");

    /**
     * Netty's OpenSSL engine knows whether a handshake resumed a session but keeps {@code isSessionReused}
     * package-private, and neither {@link javax.net.ssl.SSLSession} nor BoringSSL's session statistics tell; a
     * benchmark of resumption has to count it, so it calls the method reflectively ({@code null}: not readable,
     * e.g. with the JDK provider, and resumptions are then not counted).
     */
    private static final Method SESSION_REUSED = sessionReusedMethod();

    private final SslContext context;
    private final String serverName;
    private final AtomicLong resumed = new AtomicLong();

    private ClientTls(SslContext context, String serverName) {
        this.context = context;
        this.serverName = serverName;
    }

    /** Whether connections start with a TLS handshake. */
    boolean enabled() {
        return context != null;
    }

    static ClientTls of(DeviceTls settings) {
        if (!settings.enabled()) {
            return PLAINTEXT;
        }
        SslProvider provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm("HTTPS");
        if (!settings.caFile().isEmpty()) {
            File ca = new File(settings.caFile());
            if (!ca.canRead()) {
                throw new IllegalArgumentException("--ca-file " + ca + " cannot be read");
            }
            builder.trustManager(ca);
        }
        try {
            SslContext context = builder.build();
            if (!settings.resume() && context.sessionContext() instanceof OpenSslSessionContext sessions) {
                // The client cache keys sessions by host and port, so without this every device would resume
                // the session of whichever device connected to that node before it: real devices do not share
                // sessions, and a run without --tls-resume measures full handshakes.
                sessions.setSessionCacheEnabled(false);
            }
            log.info("devices use TLS through {}, {}, trusting {}{}", provider == SslProvider.OPENSSL
                            ? "OpenSSL (" + OpenSsl.versionString() + ")" : "the JDK provider",
                    settings.resume() ? "resuming sessions" : provider == SslProvider.OPENSSL ? "full handshakes"
                            : "sessions may resume (the JDK's client cache is not switched off)",
                    settings.caFile().isEmpty() ? "the JDK's authorities" : settings.caFile(),
                    settings.serverName().isEmpty() ? "" : ", verifying the name " + settings.serverName());
            return new ClientTls(context, settings.serverName());
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS for the devices: " + e.getMessage(), e);
        }
    }

    /**
     * The channel handler of a new connection to {@code server}: {@code protocol} itself when plaintext, else an
     * initializer that puts an {@link SslHandler} first and then {@code protocol}. A failed handshake (untrusted
     * certificate, wrong name) fails {@code done} with its cause, so the fleet counts it by that name.
     */
    ChannelHandler around(ChannelHandler protocol, InetSocketAddress server, CompletableFuture<DeviceConnection> done) {
        if (context == null) {
            return protocol;
        }
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                String host = serverName.isEmpty() ? server.getHostString() : serverName;
                SslHandler ssl = context.newHandler(ch.alloc(), host, server.getPort());
                ssl.setHandshakeTimeoutMillis(0); // the device's connect deadline covers the handshake
                ssl.handshakeFuture().addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                    } else if (reused(ssl.engine())) {
                        resumed.incrementAndGet();
                    }
                });
                ch.pipeline().addLast(ssl, protocol);
            }
        };
    }

    /** Handshakes so far that resumed an earlier session (counted with the OpenSSL provider only). */
    long sessionsResumed() {
        return resumed.get();
    }

    private static boolean reused(SSLEngine engine) {
        if (SESSION_REUSED == null || !SESSION_REUSED.getDeclaringClass().isInstance(engine)) {
            return false;
        }
        try {
            return (Boolean) SESSION_REUSED.invoke(engine);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Method sessionReusedMethod() {
        try {
            if (!OpenSsl.isAvailable()) {
                return null; // the engine class cannot initialise without the native library
            }
            Method m = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine", false,
                    ClientTls.class.getClassLoader()).getDeclaredMethod("isSessionReused");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            log.debug("TLS session resumptions cannot be counted: {}", e.toString());
            return null;
        }
    }
}
