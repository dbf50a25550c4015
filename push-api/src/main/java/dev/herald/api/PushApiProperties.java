package dev.herald.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of push-api ({@code herald.api.*}). The defaults make a local run work.
 *
 * @param cell                 the cell of static apps ({@code herald.apps}) that name none; each message
 *                             goes to the intake stream of its app's cell ({@code h:intake:{cell}}), so
 *                             with ZooKeeper the app's {@code cell} decides
 * @param maxPayloadBytes      largest decoded payload; must fit in an access node's frame
 *                             ({@code herald.access.max-frame-bytes}, 64 KiB by default) with room for
 *                             the PUSH header
 * @param defaultTtl           message time to live when a request gives no {@code ttlSeconds}
 * @param maxTtl               longest time to live a request may ask for
 * @param maxDevicesPerRequest most entries in {@code deviceIds}
 * @param defaultTokenTtl      device token lifetime when a mint request gives no {@code ttlSeconds}
 * @param maxTokenTtl          longest device token lifetime a mint request may ask for; also how long a device's
 *                             token revocation is kept (every token it covers has expired by then)
 * @param maxMessagesPerBatch  most messages in one {@code POST .../messages/batch}
 * @param auth                 how app servers authenticate ({@code herald.api.auth.*})
 * @param limitLease           how long an instance may spend send tokens it took from an app's shared
 *                             bucket in Redis before it asks again (at most 50 ms worth of the app's rate
 *                             at a time); {@code 0s} asks Redis on every send
 * @param chatroomUrl          base URL of the chatroom-service's internal API (the {@code /rooms} endpoints)
 * @param chatroomTimeout      timeout of one call to the chatroom-service; past it the answer is 503
 */
@Validated
@ConfigurationProperties("herald.api")
public record PushApiProperties(
        @DefaultValue("default") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String cell,
        @DefaultValue("4096") @Positive @Max(65_000) int maxPayloadBytes,
        @DefaultValue("PT24H") @NotNull Duration defaultTtl,
        @DefaultValue("P7D") @NotNull Duration maxTtl,
        @DefaultValue("1000") @Positive @Max(100_000) int maxDevicesPerRequest,
        @DefaultValue("P30D") @NotNull Duration defaultTokenTtl,
        @DefaultValue("P365D") @NotNull Duration maxTokenTtl,
        @DefaultValue("500") @Positive @Max(10_000) int maxMessagesPerBatch,
        @DefaultValue @NotNull @Valid Auth auth,
        @DefaultValue("PT0.1S") @NotNull Duration limitLease,
        @DefaultValue("http://localhost:8086") @NotNull @Pattern(regexp = "https?://\\S+") String chatroomUrl,
        @DefaultValue("PT5S") @NotNull Duration chatroomTimeout) {

    /**
     * Authentication of app servers on {@code /v1/**}.
     *
     * @param basicEnabled  accept HTTP Basic (key:secret) besides signed requests; on by default for the
     *                      local demo and curl, <strong>turn it off in production</strong>: the secret
     *                      then never travels and every request is bound to its body and time
     * @param maxClockSkew  how far a signed request's timestamp may be from the server's clock, either
     *                      way; also how long its nonce is remembered to refuse a replay
     */
    public record Auth(
            @DefaultValue("true") boolean basicEnabled,
            @DefaultValue("PT5M") @NotNull Duration maxClockSkew) {

        public Auth {
            if (maxClockSkew != null && (maxClockSkew.toSeconds() < 1 || maxClockSkew.compareTo(Duration.ofHours(1)) > 0)) {
                throw new IllegalArgumentException("herald.api.auth.max-clock-skew must be between 1s and 1h: "
                        + maxClockSkew);
            }
        }
    }

    public PushApiProperties {
        requireOrdered("default-ttl", defaultTtl, "max-ttl", maxTtl);
        requireOrdered("default-token-ttl", defaultTokenTtl, "max-token-ttl", maxTokenTtl);
        if (limitLease != null && (limitLease.isNegative() || limitLease.compareTo(Duration.ofSeconds(1)) > 0)) {
            throw new IllegalArgumentException("herald.api.limit-lease must be between 0s and 1s: " + limitLease);
        }
    }

    /** Bean Validation runs after construction, so the cross-field rules fail start-up here instead. */
    private static void requireOrdered(String shorterName, Duration shorter, String longerName, Duration longer) {
        if (shorter == null || longer == null) {
            return;
        }
        if (shorter.toSeconds() < 1) {
            throw new IllegalArgumentException("herald.api." + shorterName + " must be at least 1s: " + shorter);
        }
        if (shorter.compareTo(longer) > 0) {
            throw new IllegalArgumentException("herald.api." + shorterName + " (" + shorter
                    + ") must not exceed herald.api." + longerName + " (" + longer + ")");
        }
    }
}
