package dev.herald.ops.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The service key of {@code /internal/**} calls between Herald's services: clients send it in
 * {@value #HEADER} ({@link #authenticate}), {@link ServiceKeyFilter} lets in only requests that carry the
 * current or the previous key. A shared secret on a private network, like the config-server's admin
 * token; docs/security.md says what it does and does not protect against.
 */
public final class ServiceKey {

    public static final String HEADER = "X-Herald-Service-Key";

    private final String current;
    private final byte[] currentDigest;
    private final byte[] previousDigest;

    public ServiceKey(InternalApiProperties properties) {
        this.current = properties.serviceKey();
        this.currentDigest = sha256(properties.serviceKey());
        this.previousDigest = properties.previousServiceKey() == null ? null : sha256(properties.previousServiceKey());
    }

    /** The builder with the key on every request it will make. */
    public WebClient.Builder authenticate(WebClient.Builder builder) {
        return builder.defaultHeader(HEADER, current);
    }

    /** Whether {@code presented} is the current or the previous key (constant time: digests of one length). */
    public boolean accepts(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean matches = MessageDigest.isEqual(currentDigest, digest);
        if (previousDigest != null) {
            matches |= MessageDigest.isEqual(previousDigest, digest);
        }
        return matches;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
