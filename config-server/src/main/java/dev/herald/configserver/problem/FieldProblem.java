package dev.herald.configserver.problem;

import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

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

    /**
     * The refusal of a request with one or more faulty members. One problem gives its own code and detail;
     * several give the first one's code and a detail listing all of them.
     */
    public static RejectedRequestException rejection(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a rejected request needs at least one problem");
        }
        FieldProblem first = errors.get(0);
        if (errors.size() == 1) {
            return new RejectedRequestException(Problems.of(first.code(), first.message(), errors));
        }
        StringBuilder detail = new StringBuilder(errors.size() + " problems:");
        for (FieldProblem error : errors) {
            detail.append(' ').append(error.message()).append(error.message().endsWith(".") ? "" : ";");
        }
        String text = detail.toString();
        text = text.endsWith(";") ? text.substring(0, text.length() - 1) + "." : text;
        return new RejectedRequestException(Problems.of(first.code(), text, errors));
    }
}
