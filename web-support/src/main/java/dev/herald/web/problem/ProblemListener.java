package dev.herald.web.problem;

import org.springframework.http.ProblemDetail;

/**
 * Told of every problem document a service answers with, whether a filter wrote it ({@link ProblemWriter})
 * or an exception handler rendered it ({@link ProblemExceptionHandler}): the place for counting refusals.
 * Declare one as a bean; it is called on the request's thread, so it must not block.
 */
@FunctionalInterface
public interface ProblemListener {

    void answered(ProblemDetail problem);
}
