package dev.herald.api.problem;

import java.util.List;
import org.springframework.http.ProblemDetail;

/**
 * A request push-api refuses, with the problem document to answer. Thrown by validation and look-ups;
 * rendered by {@link ApiExceptionHandler}. No stack trace: it is an expected outcome, not a fault.
 */
public final class RejectedRequestException extends RuntimeException {

    private final transient ProblemDetail problem;

    public RejectedRequestException(ProblemDetail problem) {
        super(problem.getDetail(), null, false, false);
        this.problem = problem;
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
}
