package dev.herald.configserver.cluster;

import io.swagger.v3.oas.annotations.media.Schema;

/** Asks an instance to record a profiling snapshot now. */
@Schema(name = "CaptureRequest", description = "Record a Java Flight Recorder snapshot now.")
public record CaptureRequest(
        @Schema(description = "How long to record, in seconds (at most the instance's "
                + "`herald.ops.profiling.max-duration`)", example = "10", requiredMode = Schema.RequiredMode.REQUIRED)
        Integer durationSeconds) {
}
