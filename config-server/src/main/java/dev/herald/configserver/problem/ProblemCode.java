package dev.herald.configserver.problem;

import dev.herald.web.problem.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * Every kind of problem the admin API answers with. The name travels as the {@code code} member of the
 * problem document; {@link #type()} is the RFC 9457 type URI ({@code urn:herald:problem:<code>}), as in
 * push-api.
 */
public enum ProblemCode implements ProblemType {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "Invalid request"),
    INVALID_PATH(HttpStatus.BAD_REQUEST, "Invalid config path"),
    INVALID_VALUE(HttpStatus.BAD_REQUEST, "Invalid config value"),
    DUPLICATE_KEY(HttpStatus.BAD_REQUEST, "Duplicate app key"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    NODE_EXISTS(HttpStatus.CONFLICT, "Config node exists"),
    VERSION_CONFLICT(HttpStatus.CONFLICT, "Version conflict"),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    CORRUPT_NODE(HttpStatus.INTERNAL_SERVER_ERROR, "Corrupt config node"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "ZooKeeper unavailable"),
    /** The cluster API could not connect to an instance's management port. */
    INSTANCE_UNREACHABLE(HttpStatus.BAD_GATEWAY, "Instance unreachable"),
    /** An instance's management port did not answer within {@code cluster.call-timeout}. */
    INSTANCE_TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "Instance timed out"),
    /** An instance answered something the cluster API cannot pass on (not JSON, an unexpected status). */
    INSTANCE_ERROR(HttpStatus.BAD_GATEWAY, "Instance error");

    /** Extension member of a {@link #VERSION_CONFLICT}: the node's version now. */
    public static final String CURRENT_VERSION = "currentVersion";

    private final HttpStatus status;
    private final String title;

    ProblemCode(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    /** The code for a problem raised by the framework, which knows only the status. */
    public static ProblemCode forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> VERSION_CONFLICT;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
