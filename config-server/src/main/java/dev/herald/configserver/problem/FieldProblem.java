package dev.herald.configserver.problem;

import io.swagger.v3.oas.annotations.media.Schema;

/** One thing wrong with one member of a request, listed in the {@code errors} member of a problem. */
@Schema(name = "FieldProblem", description = "One thing wrong with one member of the request.")
public record FieldProblem(
        @Schema(description = "Member at fault: a JSON path into the request body (`value.secrets[1]`), `path` for "
                + "the config path, or a header name", example = "value.secrets[0]")
        String field,
        @Schema(description = "Problem code of this member", example = "INVALID_VALUE")
        ProblemCode code,
        @Schema(description = "What is wrong and how to fix it",
                example = "value.secrets[0] must be at least 16 characters long")
        String message) {
}
