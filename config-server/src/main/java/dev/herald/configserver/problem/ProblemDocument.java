package dev.herald.configserver.problem;

import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.util.List;

/**
 * The shape of every error answer, for the API documentation only: at run time the document is a
 * {@link org.springframework.http.ProblemDetail} built by {@link Problems}.
 */
@Schema(name = "Problem", description = """
        An RFC 9457 problem document (`application/problem+json`). Branch on `code`; show `detail` to people.""",
        requiredProperties = {"type", "title", "status", "detail", "instance", "code"})
public record ProblemDocument(
        @Schema(description = "URI naming the kind of problem: `urn:herald:problem:` + the code in kebab case.",
                example = "urn:herald:problem:version-conflict")
        URI type,
        @Schema(description = "Short summary of the kind of problem.", example = "Version conflict")
        String title,
        @Schema(description = "HTTP status code.", example = "409")
        int status,
        @Schema(description = "What went wrong with this request and how to fix it.",
                example = "apps/demo is at version 4, not 3: read it again, reapply your change and retry with "
                        + "expectedVersion 4.")
        String detail,
        @Schema(description = "Path of the request.", example = "/admin/v1/config/apps/demo")
        URI instance,
        @Schema(description = "Machine-readable problem code.", example = "VERSION_CONFLICT")
        ProblemCode code,
        @Schema(description = "For `VERSION_CONFLICT`: the node's current version.", example = "4")
        Integer currentVersion,
        @Schema(description = "For rejected request bodies and paths: every fault found, one per member.")
        List<FieldProblem> errors) {
}
