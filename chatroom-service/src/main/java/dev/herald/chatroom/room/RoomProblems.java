package dev.herald.chatroom.room;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Problem documents of the internal API: 400 for a malformed request, 404 for no such member. */
@RestControllerAdvice
final class RoomProblems {

    @ExceptionHandler(RoomRequestError.class)
    ProblemDetail badRequest(RoomRequestError e) {
        return problem(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", e.getMessage());
    }

    @ExceptionHandler(RoomNotFound.class)
    ProblemDetail notFound(RoomNotFound e) {
        return problem(HttpStatus.NOT_FOUND, "NOT_FOUND", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("code", code);
        return problem;
    }
}
