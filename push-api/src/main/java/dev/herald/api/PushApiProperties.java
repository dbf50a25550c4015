package dev.herald.api;

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
 * @param maxTokenTtl          longest device token lifetime a mint request may ask for
 * @param maxMessagesPerBatch  most messages in one {@code POST .../messages/batch}
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
        @DefaultValue("http://localhost:8086") @NotNull @Pattern(regexp = "https?://\\S+") String chatroomUrl,
        @DefaultValue("PT5S") @NotNull Duration chatroomTimeout) {

    public PushApiProperties {
        requireOrdered("default-ttl", defaultTtl, "max-ttl", maxTtl);
        requireOrdered("default-token-ttl", defaultTokenTtl, "max-token-ttl", maxTokenTtl);
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
