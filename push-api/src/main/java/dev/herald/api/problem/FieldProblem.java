package dev.herald.api.problem;

import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

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

    /**
     * The refusal of a request with one or more faulty members. One problem gives its own code and detail;
     * several give {@code INVALID_REQUEST} (400) and a detail listing all of them.
     */
    public static RejectedRequestException rejection(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a rejected request needs at least one problem");
        }
        if (errors.size() == 1) {
            FieldProblem only = errors.get(0);
            return new RejectedRequestException(Problems.of(only.code(), only.message(), errors));
        }
        StringBuilder detail = new StringBuilder(errors.size() + " problems: ");
        for (int i = 0; i < errors.size(); i++) {
            detail.append(i == 0 ? "" : " ").append(errors.get(i).message());
        }
        return new RejectedRequestException(Problems.of(ProblemCode.INVALID_REQUEST, detail.toString(), errors));
    }
}
