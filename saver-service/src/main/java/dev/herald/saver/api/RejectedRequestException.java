package dev.herald.saver.api;

import java.util.List;
import org.springframework.http.ProblemDetail;

/** A request the saver refuses before touching Redis; carries the problem document to answer with. */
final class RejectedRequestException extends RuntimeException {

    private final transient ProblemDetail problem;

    RejectedRequestException(ProblemCode code, String detail, List<String> errors) {
        super(detail, null, false, false);
        this.problem = code.problem(detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", List.copyOf(errors));
        }
    }

    ProblemDetail problem() {
        return problem;
    }
}
