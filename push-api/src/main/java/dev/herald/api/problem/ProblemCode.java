package dev.herald.api.problem;

import dev.herald.web.problem.ProblemType;
import org.springframework.http.HttpStatus;

/**
 * Every kind of problem push-api answers with. The name travels as the {@code code} member of the
 * problem document, so clients can branch on it without parsing {@code detail}; {@link #type()} is
 * the RFC 9457 type URI.
 */
public enum ProblemCode implements ProblemType {
    INVALID_REQUEST(HttpStatus.BAD_REQUEST, "Invalid request"),
    EMPTY_PAYLOAD(HttpStatus.BAD_REQUEST, "Empty payload"),
    INVALID_PAYLOAD(HttpStatus.BAD_REQUEST, "Invalid payload"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Payload too large"),
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    REQUEST_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    /** A signed request whose timestamp is outside the replay window: check the client's clock. */
    REQUEST_EXPIRED(HttpStatus.UNAUTHORIZED, "Request expired"),
    /** A signed request whose nonce was already used within the replay window. */
    REQUEST_REPLAYED(HttpStatus.UNAUTHORIZED, "Request replayed"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "Forbidden"),
    FORBIDDEN_ADDRESS(HttpStatus.FORBIDDEN, "Forbidden address"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "Not found"),
    /** An Idempotency-Key already used, within its 24 hours, with a different request body. */
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
    /** The app's sends per second are used up for now; {@code Retry-After} says when to try again. */
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Rate limited"),
    /** The app's sends per UTC day are used up; {@code Retry-After} points at the next UTC midnight. */
    QUOTA_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "Quota exceeded"),
    /**
     * Delivery is too far behind in the app's cell (herald.api.backlog.*): nothing was sent; {@code Retry-After}
     * says when to try again.
     */
    BACKLOG_FULL(HttpStatus.SERVICE_UNAVAILABLE, "Backlog full"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

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
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 413 -> REQUEST_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
