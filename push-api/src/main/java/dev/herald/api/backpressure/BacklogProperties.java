package dev.herald.api.backpressure;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How far push-api may run ahead of delivery ({@code herald.api.backlog.*}). Past either bound a send gets
 * 503 {@code BACKLOG_FULL} with {@code Retry-After}, so a sender that outruns the dispatchers is told to slow
 * down instead of being answered 202 for messages that would wait minutes.
 *
 * @param maxEntries   most intake entries of a cell not yet dispatched (read or unread)
 * @param maxAge       how old the oldest of them may be: the queueing delay every new message would wait
 *                     behind; the bound end-to-end latency under overload follows from
 * @param pollInterval how often each cell's backlog is measured (two commands per cell); a refusal lasts at
 *                     least this long, and the bounds may be overshot by one interval's worth of sends
 * @param retryAfter   the {@code Retry-After} of a refusal
 */
@Validated
@ConfigurationProperties("herald.api.backlog")
public record BacklogProperties(
        @DefaultValue("50000") @Positive long maxEntries,
        @DefaultValue("PT0.5S") @NotNull Duration maxAge,
        @DefaultValue("PT0.1S") @NotNull Duration pollInterval,
        @DefaultValue("PT1S") @NotNull Duration retryAfter) {

    public BacklogProperties {
        if (pollInterval != null && (pollInterval.toMillis() < 10 || pollInterval.compareTo(Duration.ofSeconds(5)) > 0)) {
            throw new IllegalArgumentException("herald.api.backlog.poll-interval must be between 10ms and 5s: "
                    + pollInterval);
        }
        if (maxAge != null && maxAge.toMillis() < 50) {
            throw new IllegalArgumentException("herald.api.backlog.max-age must be at least 50ms: " + maxAge);
        }
    }
}
