package dev.herald.api.uplink;

import io.swagger.v3.oas.annotations.media.Schema;

/** One dead-lettered uplink as the API shows it. */
@Schema(name = "UplinkDeadLetter", description = "An uplink whose callback delivery was given up")
public record DeadLetterView(
        @Schema(description = "Id of the dead letter (its stream entry id); `messageId` names it as well in "
                + "get, replay and delete", example = "1764064800123-0")
        String id,
        @Schema(description = "The uplink's message id, as acknowledged to the device and sent in callbacks",
                example = "01JDQ7N5W3X8M2K4R6T9V0YZAB")
        String messageId,
        @Schema(example = "demo") String appId,
        @Schema(example = "device-42") String deviceId,
        @Schema(description = "The device's payload, base64", example = "dGVtcGVyYXR1cmU9MjE=") String payload,
        @Schema(description = "When the access node accepted it (ISO-8601)", example = "2025-11-25T10:00:00.123Z")
        String receivedAt,
        @Schema(description = "Callback attempts made; 0 when none was possible (no callback URL)", example = "8")
        int attempts,
        @Schema(description = "Why the last attempt failed", example = "HTTP 503") String lastError,
        @Schema(description = "When it was dead-lettered (ISO-8601)", example = "2025-11-25T10:02:07.480Z")
        String deadLetteredAt) {
}
