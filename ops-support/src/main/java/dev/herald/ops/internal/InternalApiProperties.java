package dev.herald.ops.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The credential services present to each other's internal APIs ({@code herald.internal.*}); set the same
 * values on every service.
 *
 * @param serviceKey         the key every internal client sends and every internal API accepts; the
 *                           default (public, for local runs) is logged as a warning
 * @param previousServiceKey also accepted, never sent: set it to the old key while a new one is rolled
 *                           out service by service, then remove it
 */
@ConfigurationProperties("herald.internal")
public record InternalApiProperties(
        @DefaultValue(InternalApiProperties.DEFAULT_SERVICE_KEY) String serviceKey,
        String previousServiceKey) {

    /** Known to everyone who read the source: fine on one machine, never in production. */
    public static final String DEFAULT_SERVICE_KEY = "herald-local-service-key";

    /** Shortest key accepted: a guessable key would close nothing. */
    static final int MIN_KEY_LENGTH = 16;

    public InternalApiProperties {
        if (serviceKey == null || serviceKey.strip().length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("herald.internal.service-key must be at least " + MIN_KEY_LENGTH
                    + " characters");
        }
        if (previousServiceKey != null && previousServiceKey.isBlank()) {
            previousServiceKey = null;
        }
    }

    public boolean usesDefaultKey() {
        return DEFAULT_SERVICE_KEY.equals(serviceKey);
    }
}
