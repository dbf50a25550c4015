package dev.herald.api.problem;

import io.swagger.v3.oas.annotations.media.Schema;

/** One thing wrong with one member of a request, listed in the {@code errors} member of a problem. */
@Schema(name = "FieldProblem", description = "One thing wrong with one member of the request.")
public record FieldProblem(
        @Schema(description = "Request member at fault (a JSON path, a header name, or `target` / `payload` for "
                + "the choice of target or payload)", example = "deviceIds[2]")
        String field,
        @Schema(description = "Problem code of this member", example = "INVALID_REQUEST")
        ProblemCode code,
        @Schema(description = "What is wrong and how to fix it",
                example = "'bad id!' is not a valid device id: use 1..128 characters of [A-Za-z0-9._:@-]")
        String message) {
}
