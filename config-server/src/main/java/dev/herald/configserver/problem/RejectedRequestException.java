package dev.herald.configserver.problem;

import java.util.List;
import org.springframework.http.ProblemDetail;

/**
 * A request the admin API refuses or cannot carry out, with the problem document to answer. Thrown by
 * validation, by the tree and by the cluster API (an instance that does not answer); rendered by
 * {@link AdminExceptionHandler}. No stack trace: it is an expected outcome, not a fault.
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
     * A request with one or more faulty members. One problem gives its own code and detail; several give the
     * first one's code and a detail listing all of them.
     */
    public static RejectedRequestException of(List<FieldProblem> errors) {
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

    public ProblemDetail problem() {
        return problem;
    }
}
