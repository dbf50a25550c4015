package dev.herald.api.uplink;

import io.swagger.v3.oas.annotations.media.Schema;

/** Answer to a replay: the uplink is queued for a new series of callback attempts. */
@Schema(name = "UplinkReplayed")
public record DeadLetterReplayed(
        @Schema(description = "The uplink's message id (unchanged: receivers may dedupe by it)",
                example = "01JDQ7N5W3X8M2K4R6T9V0YZAB")
        String messageId) {
}
