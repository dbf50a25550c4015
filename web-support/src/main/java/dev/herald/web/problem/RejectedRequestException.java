package dev.herald.web.problem;

import java.time.Duration;
import org.springframework.http.ProblemDetail;

/**
 * A request a service refuses or cannot carry out, with the problem document to answer. Thrown by
 * validation and look-ups; rendered by the service's {@link ProblemExceptionHandler}. No stack trace: it is
 * an expected outcome, not a fault.
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

    public static RejectedRequestException of(ProblemType code, String detail) {
        return new RejectedRequestException(Problems.of(code, detail));
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
