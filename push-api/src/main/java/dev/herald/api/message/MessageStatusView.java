package dev.herald.api.message;

import dev.herald.core.message.TargetKind;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** The delivery status of one message, as kept in Redis until a day after the message expires. */
@Schema(name = "MessageStatus", description = """
        Delivery status of a message. Counters grow as the message moves through Herald; they are kept \
        until 24 hours after the message expires.""",
        requiredProperties = {"id", "appId", "kind", "offline", "state", "createdAt", "expiresAt", "targets", "delivered",
                "stored", "expired", "dropped"})
public record MessageStatusView(
        @Schema(example = "01JDQ7N5W3X8M2K4R6T9V0YZAB") String id,
        @Schema(example = "demo") String appId,
        @Schema(description = "DEVICE (`deviceId`), DEVICES (`deviceIds`) or BROADCAST.", example = "DEVICE")
        TargetKind kind,
        @Schema(description = "Whether the message is stored for offline targets.", example = "true")
        boolean offline,
        @Schema(description = "`accepted` (queued for the dispatcher) or `dispatched` (routed to access nodes "
                + "and, for offline targets, stored).", example = "accepted", allowableValues = {"accepted", "dispatched"})
        String state,
        @Schema(description = "When push-api accepted the message (ISO-8601, UTC).", example = "2026-11-25T10:15:30.123Z")
        Instant createdAt,
        @Schema(description = "After this instant the message is not delivered (ISO-8601, UTC).",
                example = "2026-11-26T10:15:30.123Z")
        Instant expiresAt,
        @Schema(description = "Devices addressed: the device count for DEVICE/DEVICES; for BROADCAST the devices "
                + "online when it was fanned out (starts at 0).", example = "1")
        long targets,
        @Schema(description = "Deliveries acknowledged by devices.", example = "0") long delivered,
        @Schema(description = "Copies stored for offline devices.", example = "0") long stored,
        @Schema(description = "Stored copies that expired before their device came back; counted within about "
                + "a second of the expiry (the saver's `expiry-sweep-interval`), whether or not the device ever "
                + "comes back.", example = "0") long expired,
        @Schema(description = "Online-only (`offline: false`) targets that were not connected.", example = "0")
        long dropped) {
}
