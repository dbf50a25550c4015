package dev.herald.web.problem;

import org.springframework.http.HttpStatus;

/** A service's problem codes, as the tests need them. */
enum TestProblem implements ProblemType {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "Malformed request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "Unauthorized"),
    VERSION_CONFLICT(HttpStatus.CONFLICT, "Version conflict"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

    private final HttpStatus status;
    private final String title;

    TestProblem(HttpStatus status, String title) {
        this.status = status;
        this.title = title;
    }

    @Override
    public HttpStatus status() {
        return status;
    }

    @Override
    public String title() {
        return title;
    }

    static TestProblem forStatus(int status) {
        return switch (status) {
            case 400 -> MALFORMED_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 409 -> VERSION_CONFLICT;
            default -> INTERNAL_ERROR;
        };
    }
}
