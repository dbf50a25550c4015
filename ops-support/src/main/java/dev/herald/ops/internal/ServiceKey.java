package dev.herald.ops.internal;

import dev.herald.web.auth.SharedSecret;
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
    private final SharedSecret accepted;

    public ServiceKey(InternalApiProperties properties) {
        this.current = properties.serviceKey();
        this.accepted = SharedSecret.of(properties.serviceKey(), properties.previousServiceKey());
    }

    /** The builder with the key on every request it will make. */
    public WebClient.Builder authenticate(WebClient.Builder builder) {
        return builder.defaultHeader(HEADER, current);
    }

    /** Whether {@code presented} is the current or the previous key (in constant time). */
    public boolean accepts(String presented) {
        return accepted.matches(presented);
    }
}
