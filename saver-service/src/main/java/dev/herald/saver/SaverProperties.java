package dev.herald.saver;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the saver, bound from {@code herald.saver.*}. The defaults make a local run work. The bounds of
 * the store itself are {@code herald.offline.*} ({@code OfflineLimits}), shared with the dispatcher, which stores too.
 *
 * @param maxBroadcastReplay broadcasts replayed to one device per fetch (the newest ones)
 * @param maxBatchSize entries of a store, devices of a fetch or acks of an ack request at most
 * @param maxTargetsPerRequest device targets of a store, or acknowledged ids of an ack request, at most
 * @param expirySweepInterval how often the expiry sweep counts pending entries that expired while their device
 *        stayed away: they are counted as {@code expired} within about this long of their expiry
 * @param expirySweepBatch devices claimed per index shard per sweep (16 shards): the sweep counts the entries of
 *        up to 16 × this many devices per interval; a larger wave of expiries is worked off oldest first
 * @param cell the cell this saver serves; informational (with ZooKeeper it reports that cell's live access
 *        nodes as a gauge): the saver routes nothing, any dispatcher or access node may call it
 */
@Validated
@ConfigurationProperties("herald.saver")
public record SaverProperties(
        @DefaultValue("100") @Positive int maxBroadcastReplay,
        @DefaultValue("10000") @Positive int maxBatchSize,
        @DefaultValue("1000000") @Positive int maxTargetsPerRequest,
        @DefaultValue("PT1S") @NotNull Duration expirySweepInterval,
        @DefaultValue("1000") @Positive int expirySweepBatch,
        @DefaultValue("default") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String cell) {

    public SaverProperties {
        requirePositive("expiry-sweep-interval", expirySweepInterval);
    }

    private static void requirePositive(String name, Duration value) {
        if (value != null && (value.isNegative() || value.toMillis() < 1)) {
            throw new IllegalArgumentException("herald.saver." + name + " must be at least 1ms, was " + value);
        }
    }
}
