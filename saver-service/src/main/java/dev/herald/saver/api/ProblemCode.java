package dev.herald.saver.api;

import java.net.URI;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The problems the saver answers with (RFC 9457 documents). As in push-api, the name travels as the
 * {@code code} member and the type is {@code urn:herald:problem:<code>}.
 */
enum ProblemCode {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "Invalid request"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    static final String CODE = "code";

    private final HttpStatus status;
    private final String title;
    private final URI type;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
        this.type = URI.create("urn:herald:problem:" + name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    HttpStatus status() {
        return status;
    }

    ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        classify(problem, this);
        return problem;
    }

    static void classify(ProblemDetail problem, ProblemCode code) {
        problem.setType(code.type);
        problem.setTitle(code.title);
        problem.setProperty(CODE, code.name());
    }

    /** The code of a problem the framework raised, which knows only the status. */
    static ProblemCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
