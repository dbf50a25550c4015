package dev.herald.api.token;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /v1/apps/{appId}/device-tokens}. */
@Schema(name = "MintTokenRequest", description = "The device to mint a token for, and for how long.")
public record MintTokenRequest(
        @Schema(description = "The device the token is for: 1..128 characters of `[A-Za-z0-9._:@-]`.",
                example = "device-42", requiredMode = Schema.RequiredMode.REQUIRED)
        String deviceId,
        @Schema(description = """
                Seconds the token stays valid: 1..`herald.api.max-token-ttl` (31536000 = 365 days by default). If \
                absent, `herald.api.default-token-ttl` (2592000 = 30 days by default).""",
                minimum = "1", example = "2592000")
        Long ttlSeconds) {
}
