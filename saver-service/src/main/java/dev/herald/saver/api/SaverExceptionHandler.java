package dev.herald.saver.api;

import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

/**
 * Every failure becomes an RFC 9457 problem document with a {@link ProblemCode}, never a stack trace:
 * rejected batches (400/413), the framework's own (unreadable JSON, missing body, wrong method),
 * Redis failures (503: the caller retries the whole batch, which is idempotent) and bugs (500).
 */
@RestControllerAdvice
final class SaverExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(SaverExceptionHandler.class);

    @ExceptionHandler(RejectedRequestException.class)
    Mono<ResponseEntity<Object>> handleRejected(RejectedRequestException ex, ServerWebExchange exchange) {
        ProblemDetail problem = ex.problem();
        return createResponseEntity(problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    @ExceptionHandler(DataAccessException.class)
    Mono<ResponseEntity<Object>> handleStorageFailure(DataAccessException ex, ServerWebExchange exchange) {
        log.warn("Redis failed during {}: {}", exchange.getRequest().getPath(), ex.getMostSpecificCause().toString());
        ProblemDetail problem = Problems.of(ProblemCode.UNAVAILABLE,
                "The offline store is unavailable; the batch may be partly applied. Retry the whole batch.");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    @ExceptionHandler(Exception.class)
    Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected failure during {}", exchange.getRequest().getPath(), ex);
        ProblemDetail problem = Problems.of(ProblemCode.INTERNAL_ERROR, "An unexpected error occurred and has been logged.");
        return createResponseEntity(problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    /** An unreadable body: say what Jackson could not read, which is what the caller needs to fix. */
    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.of(ProblemCode.MALFORMED_REQUEST, readFailureDetail(ex));
        return handleExceptionInternal(ex, problem, headers, status, exchange);
    }

    private static String readFailureDetail(ServerWebInputException ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof JacksonException json) {
                return "Unreadable JSON: " + json.getOriginalMessage();
            }
        }
        return ex.getReason() != null ? ex.getReason() : "Unreadable request body";
    }

    /** Framework problems (type about:blank) get a Herald type, title and code too. */
    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = body instanceof ProblemDetail p ? p
                : ex instanceof ErrorResponse response ? response.getBody() : null;
        if (problem != null) {
            Problems.classify(problem, ProblemCode::forStatus);
        }
        return super.handleExceptionInternal(ex, body, headers, status, exchange);
    }
}
