package dev.herald.web.problem;

import java.util.List;
import java.util.function.IntFunction;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 documents Herald's services answer with; every one carries a {@link ProblemType} code. */
public final class Problems {

    /** Extension member holding the {@link ProblemType} name. */
    public static final String CODE = "code";
    /** Extension member listing what is wrong with each member of a rejected request. */
    public static final String ERRORS = "errors";

    private Problems() {
    }

    public static ProblemDetail of(ProblemType code, String detail) {
        return of(code, code.status(), detail);
    }

    public static ProblemDetail of(ProblemType code, HttpStatusCode status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        mark(problem, code);
        return problem;
    }

    /** A problem listing {@code errors} (the service's field problems), when there are any. */
    public static ProblemDetail of(ProblemType code, String detail, List<?> errors) {
        ProblemDetail problem = of(code, detail);
        if (!errors.isEmpty()) {
            problem.setProperty(ERRORS, List.copyOf(errors));
        }
        return problem;
    }

    /**
     * Gives a problem raised by the framework (type {@code about:blank}) a Herald type, title and code:
     * {@code codeForStatus}'s for its status. A problem that has a code already is left alone.
     */
    public static void classify(ProblemDetail problem, IntFunction<? extends ProblemType> codeForStatus) {
        if (problem.getProperties() != null && problem.getProperties().containsKey(CODE)) {
            return;
        }
        mark(problem, codeForStatus.apply(problem.getStatus()));
    }

    private static void mark(ProblemDetail problem, ProblemType code) {
        problem.setType(code.type());
        problem.setTitle(code.title());
        problem.setProperty(CODE, code.name());
    }
}
