package dev.herald.web.problem;

import java.net.URI;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.autoconfigure.HttpCodecsProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns everything that goes wrong behind a service's filters into an RFC 9457 problem document with a
 * code: the service's own rejections ({@link RejectedRequestException}), the framework's (unknown route,
 * wrong method or media type, unreadable or oversized body) and bugs (500). Routing failures arrive here
 * too, because WebFlux hands them to the annotated exception handlers. A service extends it as its
 * {@code @RestControllerAdvice}, adds handlers for its own failures (a store that is down, say) and names
 * its codes through {@code codeForStatus}: the code of a problem the framework raised, which knows only
 * the status (400, 404, 413 and 500 among them).
 */
public abstract class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final IntFunction<? extends ProblemType> codeForStatus;
    private final DataSize maxRequestSize;
    private final List<ProblemListener> listeners;

    protected ProblemExceptionHandler(IntFunction<? extends ProblemType> codeForStatus,
            ObjectProvider<HttpCodecsProperties> codecs, ObjectProvider<ProblemListener> listeners) {
        this.codeForStatus = codeForStatus;
        HttpCodecsProperties properties = codecs.getIfAvailable();
        this.maxRequestSize = properties == null ? null : properties.getMaxInMemorySize();
        this.listeners = listeners.orderedStream().toList();
    }

    @ExceptionHandler(RejectedRequestException.class)
    public Mono<ResponseEntity<Object>> handleRejected(RejectedRequestException ex, ServerWebExchange exchange) {
        HttpHeaders headers = new HttpHeaders();
        if (ex.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, ex.retryAfterSeconds());
        }
        return answer(ex.problem(), headers, exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        return unexpected(ex, exchange);
    }

    /** A bug: logged with its stack trace, answered 500 without one. */
    protected Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
        log.error("Unexpected failure during {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex);
        ProblemDetail problem = Problems.of(codeForStatus.apply(500),
                "An unexpected error occurred and has been logged. Retry later, or report it with the time "
                        + "of the request.");
        return answer(problem, new HttpHeaders(), exchange);
    }

    /** Answers {@code problem} with its own status. */
    protected final Mono<ResponseEntity<Object>> answer(ProblemDetail problem, HttpHeaders headers,
            ServerWebExchange exchange) {
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    /** Headers that ask the client to retry after {@code seconds}. */
    protected static HttpHeaders retryAfter(String seconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, seconds);
        return headers;
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.of(codeForStatus.apply(400), status, readFailureDetail(ex));
        return handleExceptionInternal(ex, problem, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (ex instanceof ContentTooLargeException) {
            String limit = maxRequestSize == null ? "the server's limit" : maxRequestSize.toBytes() + " bytes";
            ProblemDetail problem = Problems.of(codeForStatus.apply(413), status,
                    "The request body is larger than " + limit + ".");
            return handleExceptionInternal(ex, problem, headers, status, exchange);
        }
        if (status.value() == 404) {
            // The framework's text ("No static resource ...") talks about its internals, not the API.
            ProblemDetail problem = Problems.of(codeForStatus.apply(404), status, "Nothing is at "
                    + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()
                    + ". The API is described at /swagger-ui.html.");
            return handleExceptionInternal(ex, problem, headers, status, exchange);
        }
        return super.handleResponseStatusException(ex, headers, status, exchange);
    }

    /** Every problem this handler answers passes here: give it a code and an instance, tell the listeners. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            Problems.classify(problem, codeForStatus);
            if (problem.getInstance() == null) {
                problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
            }
            for (ProblemListener listener : listeners) {
                listener.answered(problem);
            }
            return Mono.just(ResponseEntity.status(status)
                    .headers(headers)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem));
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }

    /** Says what is wrong with an unreadable request without echoing Java type names. */
    protected String readFailureDetail(ServerWebInputException ex) {
        JacksonException json = findCause(ex, JacksonException.class);
        if (json != null) {
            return jsonFailureDetail(json);
        }
        if (ex.getReason() != null && ex.getReason().contains("No request body")) {
            return "The request body is missing: send a JSON object.";
        }
        return inputFailureDetail(ex);
    }

    /** What is wrong with a body Jackson could not read: where it is not JSON, or which member has the wrong type. */
    protected String jsonFailureDetail(JacksonException json) {
        if (json instanceof StreamReadException) {
            TokenStreamLocation at = json.getLocation();
            return at == null || at.getLineNr() < 1
                    ? "The request body is not valid JSON."
                    : "The request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").";
        }
        String path = json.getPath().isEmpty() ? null : jsonPath(json);
        return path == null
                ? "The request body is not a JSON object of the expected shape."
                : "The request member '" + path + "' has the wrong type.";
    }

    /** What is wrong with a request whose body was not the problem (a parameter, a header). */
    protected String inputFailureDetail(ServerWebInputException ex) {
        return ex.getReason() == null ? "The request could not be read." : ex.getReason() + ".";
    }

    private static String jsonPath(JacksonException json) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : json.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
