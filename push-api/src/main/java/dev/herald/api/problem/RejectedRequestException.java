package dev.herald.api.problem;

import java.time.Duration;
import java.util.List;
import org.springframework.http.ProblemDetail;

/**
 * A request push-api refuses, with the problem document to answer. Thrown by validation and look-ups;
 * rendered by {@link ApiExceptionHandler}. No stack trace: it is an expected outcome, not a fault.
 */
public final class RejectedRequestException extends RuntimeException {

    private final transient ProblemDetail problem;
    private final Duration retryAfter;

    public RejectedRequestException(ProblemDetail problem) {
        this(problem, null);
    }

    /** A refusal that is answered with {@code Retry-After} (whole seconds, rounded up, at least 1). */
    public RejectedRequestException(ProblemDetail problem, Duration retryAfter) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public static RejectedRequestException of(ProblemCode code, String detail) {
        return new RejectedRequestException(Problems.of(code, detail));
    }

    /**
     * A request with one or more faulty members. One problem gives its own code and detail; several give
     * {@code INVALID_REQUEST} (400) and a detail listing all of them.
     */
    public static RejectedRequestException of(List<FieldProblem> errors) {
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

    public ProblemDetail problem() {
        return problem;
    }

    /** The value of {@code Retry-After}, or {@code null} when there is none. */
    public String retryAfterSeconds() {
        return retryAfter == null ? null : String.valueOf(seconds(retryAfter));
    }

    /** Whole seconds, rounded up, at least 1: what a client waits at least. */
    public static long seconds(Duration wait) {
        long millis = Math.max(0, wait.toMillis());
        return Math.max(1, (millis + 999) / 1000);
    }
}
