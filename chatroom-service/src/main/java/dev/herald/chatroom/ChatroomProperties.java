package dev.herald.chatroom;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the chatroom-service ({@code herald.chatroom.*}). The defaults make a local run work.
 *
 * @param cell           the cell whose rooms this instance orders: it reads {@code h:room-intake:{cell}} while it
 *                       holds the cell's sequencer lease, and removes the members of that cell's dead access nodes
 * @param instanceId     this instance's name in the lease; unique per running instance (default: random)
 * @param historySize    messages kept per room for members who join later
 * @param historyMaxAge  messages older than this leave the history (and an idle room's history expires)
 * @param roomSendRate   members' messages per second one room takes, on average (posts by the app are not limited)
 * @param roomSendBurst  members' messages a room takes at once before the rate applies
 * @param batchSize      intake entries ordered in one batch (one Redis round for the order, one for the fan-out)
 * @param leaseTtl       the sequencer lease expires this long after its holder's last renewal (renewed every third)
 * @param nodeLiveness   without ZooKeeper, an access node whose heartbeat in {@code h:nodes} is older is dead
 * @param sweepInterval  how often dead access nodes are looked for
 * @param purgeGrace     a node must be seen dead this long before its members are removed
 */
@Validated
@ConfigurationProperties("herald.chatroom")
public record ChatroomProperties(
        @DefaultValue("default") @NotNull @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String cell,
        String instanceId,
        @DefaultValue("100") @Min(1) @Max(100_000) int historySize,
        @DefaultValue("PT24H") @NotNull Duration historyMaxAge,
        @DefaultValue("50") @DecimalMin("0.001") double roomSendRate,
        @DefaultValue("100") @Min(1) int roomSendBurst,
        @DefaultValue("256") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("PT10S") @NotNull Duration leaseTtl,
        @DefaultValue("PT15S") @NotNull Duration nodeLiveness,
        @DefaultValue("PT5S") @NotNull Duration sweepInterval,
        @DefaultValue("PT10S") @NotNull Duration purgeGrace) {

    public ChatroomProperties {
        if (instanceId == null || instanceId.isBlank()) {
            instanceId = "chatroom-" + UUID.randomUUID();
        }
        requireAtLeast("history-max-age", historyMaxAge, Duration.ofSeconds(1));
        requireAtLeast("lease-ttl", leaseTtl, Duration.ofMillis(300));
        requireAtLeast("node-liveness", nodeLiveness, Duration.ofMillis(100));
        requireAtLeast("sweep-interval", sweepInterval, Duration.ofMillis(100));
        if (purgeGrace != null && purgeGrace.isNegative()) {
            throw new IllegalArgumentException("herald.chatroom.purge-grace must not be negative: " + purgeGrace);
        }
    }

    private static void requireAtLeast(String name, Duration value, Duration min) {
        if (value != null && value.compareTo(min) < 0) {
            throw new IllegalArgumentException("herald.chatroom." + name + " must be at least " + min + ": " + value);
        }
    }
}
