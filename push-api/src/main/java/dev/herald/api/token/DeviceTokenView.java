package dev.herald.api.token;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** A freshly minted device token. */
@Schema(name = "DeviceToken", description = """
        A device token. The device presents it with its device id when it connects to an access node (CONNECT \
        frame); the access node checks its signature and expiry without any look-up, and whether the device's \
        tokens were revoked since it was issued in the round that records the connection.""",
        requiredProperties = {"appId", "deviceId", "token", "expiresAt"})
public record DeviceTokenView(
        @Schema(example = "demo") String appId,
        @Schema(example = "device-42") String deviceId,
        @Schema(description = "`v2.<issued at, epoch ms>.<expiry, epoch seconds>.<base64url HMAC-SHA256>`, "
                + "signed with the app's secret.",
                example = "v2.1764064800123.1767225600.3q2-7wAAAAD5pYx1Jb4cLqN0j6w8oX2zQm4rT9sV1uE")
        String token,
        @Schema(description = "When the token stops being accepted (ISO-8601, UTC, whole seconds).",
                example = "2026-12-25T10:15:30Z")
        Instant expiresAt) {
}
