package dev.herald.api.problem;

/**
 * Another Herald service that a request needs (the chatroom-service) did not answer in time, failed or is
 * unreachable: answered 503 {@code UNAVAILABLE} with {@code Retry-After}. The message is the problem's detail.
 */
public final class DependencyUnavailableException extends RuntimeException {

    public DependencyUnavailableException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }
}
