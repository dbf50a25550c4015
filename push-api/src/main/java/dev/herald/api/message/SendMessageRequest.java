package dev.herald.api.message;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Body of {@code POST /v1/apps/{appId}/messages}: exactly one target ({@code deviceId}, {@code deviceIds}
 * or {@code broadcast: true}) and exactly one payload ({@code text} or {@code base64}). Checked by
 * {@link SendMessageValidator}, which reports every fault at once.
 */
@Schema(name = "SendMessageRequest", description = """
        A message to push. Give exactly one target (`deviceId`, `deviceIds` or `broadcast: true`) and exactly \
        one payload (`text` or `base64`). The decoded payload must be 1..`herald.api.max-payload-bytes` bytes \
        (4096 by default): an empty payload is a 400 `EMPTY_PAYLOAD` problem, a larger one a 413 \
        `PAYLOAD_TOO_LARGE` problem.""")
public record SendMessageRequest(
        @Schema(description = "Target: one device. 1..128 characters of `[A-Za-z0-9._:@-]`.", example = "device-42")
        String deviceId,
        @ArraySchema(arraySchema = @Schema(description = """
                Target: several devices, 1..`herald.api.max-devices-per-request` entries (1000 by default); \
                duplicates are removed. Each is 1..128 characters of `[A-Za-z0-9._:@-]`."""),
                schema = @Schema(example = "device-42"), minItems = 1)
        List<String> deviceIds,
        @Schema(description = "Target: every device of the app. Only `true` selects it.", example = "false")
        Boolean broadcast,
        @Schema(description = "Payload: a UTF-8 string; its encoded size counts against the limit.",
                example = "Your order has shipped")
        String text,
        @Schema(description = "Payload: bytes in standard base64 (RFC 4648 §4, padding optional).",
                example = "SGVsbG8sIGRldmljZSE=", format = "byte")
        String base64,
        @Schema(description = """
                `true` (default): store the message for targets that are offline and deliver it when they \
                reconnect, until it expires. `false`: deliver to connected targets only; the others are \
                counted as `dropped`.""", defaultValue = "true", example = "true")
        Boolean offline,
        @Schema(description = """
                Seconds until the message expires: 1..`herald.api.max-ttl` (604800 by default). If absent, \
                `herald.api.default-ttl` (86400 by default).""", minimum = "1", example = "3600")
        Long ttlSeconds) {
}
