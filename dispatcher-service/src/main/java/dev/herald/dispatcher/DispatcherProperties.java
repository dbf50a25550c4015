package dev.herald.dispatcher;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of the dispatcher, prefix {@code herald.dispatcher}. The defaults run against a local
 * Redis without any configuration. The bounds of the offline store, which the dispatcher writes before it
 * delivers, are {@code herald.offline.*}, shared with the saver.
 *
 * @param cell         the intake stream read is {@code h:intake:{cell}}; with ZooKeeper, the access nodes
 *                     commanded are those registered as {@code access.<cell>}
 * @param consumerName this instance's name in the consumer group; must stay the same across restarts
 *                     so that a restarted dispatcher re-reads the entries it had read but not finished
 * @param batchSize    about how many intake messages are read and dispatched together (an entry holds one
 *                     send request: the read count adapts to the messages per entry)
 * @param batchesInFlight intake batches dispatched at once; their delivery writes still go out in intake
 *                     order. 1 dispatches one batch at a time
 * @param nodeLiveness without ZooKeeper, an access node whose last heartbeat in {@code h:nodes} is
 *                     older is dead, and routes to it count as offline (with ZooKeeper, a node is dead
 *                     once its discovery registration is gone: its session expired or it left)
 * @param nodeDepartureGrace with ZooKeeper, how long a node that left discovery still gets commands: a node
 *                     whose session expired during a ZooKeeper outage re-registers a moment later, and
 *                     its connected devices must not count as offline in between (offline-flagged
 *                     messages are stored before delivery, so a node that really died loses nothing by it)
 * @param claimIdle    entries another consumer has held unacknowledged this long are claimed
 *                     (XAUTOCLAIM): that consumer is taken to be dead
 * @param uplink       delivery of device uplinks to app callback URLs ({@code herald.dispatcher.uplink.*})
 */
@Validated
@ConfigurationProperties("herald.dispatcher")
public record DispatcherProperties(
        @DefaultValue("default") @NotBlank String cell,
        @DefaultValue("dispatcher-1") @NotBlank String consumerName,
        @DefaultValue("256") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("4") @Min(1) @Max(64) int batchesInFlight,
        @DefaultValue("PT15S") @NotNull @DurationMin(millis = 1) Duration nodeLiveness,
        @DefaultValue("PT3S") @NotNull Duration nodeDepartureGrace,
        @DefaultValue("PT60S") @NotNull @DurationMin(millis = 1) Duration claimIdle,
        @DefaultValue @NotNull @Valid Uplink uplink) {

    /**
     * The uplink callback worker of this dispatcher's cell.
     *
     * @param enabled           run the worker (one per dispatcher; several in a cell share the work)
     * @param initialBackoff    delay before the second attempt; doubles per failed attempt, jittered
     * @param maxBackoff        longest delay between two attempts
     * @param maxAttempts       attempts (the first included) before an uplink is dead-lettered
     * @param requestTimeout    bound on one callback request, connect to response headers
     * @param deadLetterCap     most dead letters kept per app; the oldest go first
     * @param retryPollInterval how often the retry set is polled for due attempts
     */
    public record Uplink(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("PT1S") @NotNull @DurationMin(millis = 1) Duration initialBackoff,
            @DefaultValue("PT5M") @NotNull @DurationMin(millis = 1) Duration maxBackoff,
            @DefaultValue("8") @Min(1) @Max(100) int maxAttempts,
            @DefaultValue("PT5S") @NotNull @DurationMin(millis = 1) Duration requestTimeout,
            @DefaultValue("10000") @Min(1) int deadLetterCap,
            @DefaultValue("PT0.2S") @NotNull @DurationMin(millis = 1) Duration retryPollInterval) {

        @AssertTrue(message = "max-backoff must not be shorter than initial-backoff")
        public boolean isBackoffOrdered() {
            return initialBackoff == null || maxBackoff == null || maxBackoff.compareTo(initialBackoff) >= 0;
        }
    }
}
