package dev.herald.configserver.problem;

import java.util.List;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the RFC 9457 documents the admin API answers with; every one carries a {@link ProblemCode}. */
public final class Problems {

    /** Extension member holding the {@link ProblemCode} name. */
    public static final String CODE = "code";
    /** Extension member listing {@link FieldProblem}s of a rejected request. */
    public static final String ERRORS = "errors";
    /** Extension member of a {@link ProblemCode#VERSION_CONFLICT}: the node's version now. */
    public static final String CURRENT_VERSION = "currentVersion";

    private Problems() {
    }

    public static ProblemDetail of(ProblemCode code, String detail) {
        return of(code, code.status(), detail);
    }

    public static ProblemDetail of(ProblemCode code, HttpStatusCode status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(code.type());
        problem.setTitle(code.title());
        problem.setProperty(CODE, code.name());
        return problem;
    }

    public static ProblemDetail of(ProblemCode code, String detail, List<FieldProblem> errors) {
        ProblemDetail problem = of(code, detail);
        if (!errors.isEmpty()) {
            problem.setProperty(ERRORS, List.copyOf(errors));
        }
        return problem;
    }

    /** Gives a problem raised by the framework (type {@code about:blank}) a Herald type, title and code. */
    public static void classify(ProblemDetail problem) {
        if (problem.getProperties() != null && problem.getProperties().containsKey(CODE)) {
            return;
        }
        ProblemCode code = ProblemCode.forStatus(problem.getStatus());
        problem.setType(code.type());
        problem.setTitle(code.title());
        problem.setProperty(CODE, code.name());
    }
}
