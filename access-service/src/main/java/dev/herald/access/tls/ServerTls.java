package dev.herald.access.tls;

import dev.herald.access.AccessProperties;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * TLS of the device port ({@code herald.access.tls.*}): the server context made from PEM files, and a new
 * {@link SslHandler} from it for each connection whose first byte is a TLS record. Netty's OpenSSL binding
 * (BoringSSL, {@code netty-tcnative-boringssl-static}) when it loads, the JDK's provider otherwise; the log
 * says which. TLS 1.2 and 1.3 only, with the provider's default (AEAD, forward-secret) cipher suites.
 *
 * <p>The files are checked every {@code reload-interval}: when one's modification time or size changed, a new
 * context is built and used for connections from then on. Connections open already keep the engine they
 * were made with, so a certificate rotation drops nobody. A file that does not load (half written, wrong
 * key) leaves the current context in place and logs why; at start-up it fails the node.
 */
@Component
public final class ServerTls implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AccessProperties.Tls settings;
    private final SslProvider provider;
    private final OpenSslSessionTicketKey ticketKey;
    private final ScheduledExecutorService reloads;
    private volatile SslContext context;
    private volatile List<FileStamp> loadedFrom = List.of();

    @Autowired
    public ServerTls(AccessProperties properties) {
        this(properties.tls());
    }

    public ServerTls(AccessProperties.Tls settings) {
        this.settings = settings;
        if (!settings.enabled()) {
            this.provider = null;
            this.reloads = null;
            this.ticketKey = null;
            return;
        }
        this.ticketKey = ticketKey(settings.sessionTicketSecret());
        this.provider = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
        if (provider == SslProvider.JDK) {
            log.info("TLS on the device port through the JDK provider (OpenSSL not available: {})",
                    OpenSsl.unavailabilityCause() == null ? "unknown" : OpenSsl.unavailabilityCause().toString());
        } else {
            log.info("TLS on the device port through OpenSSL ({})", OpenSsl.versionString());
        }
        try {
            load();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("herald.access.tls: cannot load " + settings.certificate() + " / "
                    + settings.privateKey() + ": " + e.getMessage(), e);
        }
        this.reloads = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "herald-tls-reload");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.reloadInterval().toMillis();
        reloads.scheduleWithFixedDelay(this::reloadIfChanged, every, every, TimeUnit.MILLISECONDS);
    }

    /** Whether a certificate is configured: without one, a TLS record as first byte is garbage. */
    public boolean enabled() {
        return context != null;
    }

    /** Whether plaintext connections are refused ({@code herald.access.tls.required}). */
    public boolean required() {
        return settings.required();
    }

    /** {@code openssl} or {@code jdk}; {@code null} when TLS is off. */
    public String providerName() {
        return provider == null ? null : provider == SslProvider.OPENSSL ? "openssl" : "jdk";
    }

    /**
     * A server-side handler for one new connection, from the current context. Its handshake deadline is
     * the connection's (ConnectionDeadlines), so the handler's own timer is off.
     */
    public SslHandler newHandler(ByteBufAllocator allocator) {
        SslContext current = context;
        if (current == null) {
            throw new IllegalStateException("TLS is not configured (herald.access.tls.certificate)");
        }
        SslHandler handler = current.newHandler(allocator);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** Reloads now when a file changed; what the periodic check runs. Returns whether a new context is in use. */
    public boolean reloadIfChanged() {
        try {
            if (stamps().equals(loadedFrom)) {
                return false;
            }
            load();
            log.info("TLS certificate reloaded from {}", settings.certificate());
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("TLS certificate in {} not reloaded, the previous one stays in use: {}", settings.certificate(),
                    e.toString());
            return false;
        }
    }

    private void load() throws IOException {
        List<FileStamp> before = stamps();
        byte[] chain = concat(settings.certificate(), settings.chain());
        byte[] key = Files.readAllBytes(settings.privateKey());
        SslContext built;
        try (InputStream certificates = new ByteArrayInputStream(chain);
             InputStream privateKey = new ByteArrayInputStream(key)) {
            built = SslContextBuilder.forServer(certificates, privateKey)
                    .sslProvider(provider)
                    .protocols(PROTOCOLS)
                    .build();
        }
        // Netty's OpenSSL contexts send no session tickets until keys are set: TLS 1.3 resumption needs them.
        if (built.sessionContext() instanceof OpenSslSessionContext sessions) {
            sessions.setTicketKeys(ticketKey);
        }
        context = built;
        loadedFrom = before;
    }

    /**
     * The session-ticket key: derived from the shared secret (SHA-256 of a label and the secret, one digest per
     * part), so every node configured alike accepts every node's tickets; random when no secret is set.
     */
    static OpenSslSessionTicketKey ticketKey(String secret) {
        byte[][] parts = new byte[3][];
        String[] labels = {"herald ticket name", "herald ticket hmac", "herald ticket aes"};
        for (int i = 0; i < parts.length; i++) {
            byte[] part = new byte[16];
            if (secret == null || secret.isEmpty()) {
                RANDOM.nextBytes(part);
            } else {
                System.arraycopy(sha256(labels[i] + "\n" + secret), 0, part, 0, part.length);
            }
            parts[i] = part;
        }
        return new OpenSslSessionTicketKey(parts[0], parts[1], parts[2]);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] concat(Path certificate, Path chain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Files.readAllBytes(certificate));
        if (chain != null) {
            out.write('\n');
            out.write(Files.readAllBytes(chain));
        }
        return out.toByteArray();
    }

    private List<FileStamp> stamps() throws IOException {
        List<FileStamp> stamps = new ArrayList<>(3);
        for (Path file : new Path[] {settings.certificate(), settings.privateKey(), settings.chain()}) {
            if (file != null) {
                stamps.add(new FileStamp(file, Files.getLastModifiedTime(file).toMillis(), Files.size(file)));
            }
        }
        return stamps;
    }

    /** What tells a changed file: its modification time and size. */
    private record FileStamp(Path file, long modifiedMillis, long size) {
    }

    @Override
    public void destroy() {
        if (reloads != null) {
            reloads.shutdownNow();
        }
    }
}
