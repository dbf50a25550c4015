package dev.herald.api.message;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer to an accepted send. */
@Schema(name = "MessageAccepted", description = "The message was accepted for delivery.",
        requiredProperties = {"id", "appId", "status"})
public record MessageAccepted(
        @Schema(description = "Message id: 26 characters of Crockford base32, sortable by creation time.",
                example = "01JDQ7N5W3X8M2K4R6T9V0YZAB")
        String id,
        @Schema(description = "The app the message belongs to.", example = "demo")
        String appId,
        @Schema(description = "Path of the message's status resource (also in the Location header).",
                example = "/v1/apps/demo/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB")
        String status) {
}
