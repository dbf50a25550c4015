package dev.herald.api.problem;

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
                example = "urn:herald:problem:invalid-request")
        URI type,
        @Schema(description = "Short summary of the kind of problem.", example = "Invalid request")
        String title,
        @Schema(description = "HTTP status code.", example = "400")
        int status,
        @Schema(description = "What went wrong with this request and how to fix it.",
                example = "The message has no target: set exactly one of 'deviceId', 'deviceIds' or 'broadcast: true'.")
        String detail,
        @Schema(description = "Path of the request.", example = "/v1/apps/demo/messages")
        URI instance,
        @Schema(description = "Machine-readable problem code.", example = "INVALID_REQUEST")
        ProblemCode code,
        @Schema(description = "For rejected request bodies: every fault found, one per member.")
        List<FieldProblem> errors) {
}
