package dev.herald.api.problem;

import io.lettuce.core.RedisException;
import java.io.IOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.autoconfigure.HttpCodecsProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;

/**
 * Turns everything that goes wrong behind the authentication filter into an RFC 9457 problem
 * document with a {@link ProblemCode}: Herald's own rejections, the framework's (unknown route, wrong
 * method or media type, unreadable or oversized body), Redis failures (503) and bugs (500). Routing
 * failures arrive here too, because WebFlux hands them to the annotated exception handlers.
 */
@RestControllerAdvice
public final class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final RejectionMetrics metrics;
    private final DataSize maxRequestSize;

    public ApiExceptionHandler(RejectionMetrics metrics, ObjectProvider<HttpCodecsProperties> codecs) {
        this.metrics = metrics;
        HttpCodecsProperties properties = codecs.getIfAvailable();
        this.maxRequestSize = properties == null ? null : properties.getMaxInMemorySize();
    }

    @ExceptionHandler(RejectedRequestException.class)
    public Mono<ResponseEntity<Object>> handleRejected(RejectedRequestException ex, ServerWebExchange exchange) {
        ProblemDetail problem = ex.problem();
        HttpHeaders headers = new HttpHeaders();
        if (ex.retryAfterSeconds() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, ex.retryAfterSeconds());
        }
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    /** A service push-api depends on (the chatroom-service) did not answer: retrying later may work. */
    @ExceptionHandler(DependencyUnavailableException.class)
    public Mono<ResponseEntity<Object>> handleDependency(DependencyUnavailableException ex, ServerWebExchange exchange) {
        log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.getMessage());
        ProblemDetail problem = Problems.of(ProblemCode.UNAVAILABLE, ex.getMessage());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    /**
     * Redis unreachable, timing out or refusing: retrying later may work, so say so. Some reactive commands
     * surface Lettuce's own exceptions untranslated, hence several types; and a connection that Redis resets
     * under a command in flight (Redis killed) fails that command with the bare socket error. The request
     * body has been read and decoded before a handler runs (failures there are input errors), so an
     * {@link IOException} here comes from the one connection a handler uses: Redis.
     */
    @ExceptionHandler({DataAccessException.class, RedisException.class, IOException.class})
    public Mono<ResponseEntity<Object>> handleStorageFailure(Exception ex, ServerWebExchange exchange) {
        return storeUnavailable(StoreFailure.find(ex) == null ? ex : StoreFailure.find(ex), exchange);
    }

    /**
     * A bug, unless a store failure hides in the cause chain: an operator may wrap what Redis threw, and a
     * crash of Redis is the caller's reason to retry, not a defect to report.
     */
    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        Throwable storeFailure = StoreFailure.find(ex);
        if (storeFailure != null) {
            log.debug("store failure wrapped in {}", ex.getClass().getName(), ex);
            return storeUnavailable(storeFailure, exchange);
        }
        log.error("Unexpected failure during {} {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex);
        ProblemDetail problem = Problems.of(ProblemCode.INTERNAL_ERROR,
                "An unexpected error occurred and has been logged. Retry later, or report it with the time "
                        + "of the request.");
        return createResponseEntity(problem, new HttpHeaders(), HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    private Mono<ResponseEntity<Object>> storeUnavailable(Throwable failure, ServerWebExchange exchange) {
        Throwable cause = failure instanceof DataAccessException dae ? dae.getMostSpecificCause() : failure;
        log.warn("Redis failed during {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), cause.toString());
        ProblemDetail problem = Problems.of(ProblemCode.UNAVAILABLE,
                // A command that timed out may still have been carried out by Redis (a send's XADD among them).
                "Herald's message store is unavailable or did not answer in time; the request may not have been "
                        + "carried out. Retry it after a short delay; retry a send with the same Idempotency-Key, so "
                        + "that one that did get through is not sent twice.");
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return createResponseEntity(problem, headers, HttpStatusCode.valueOf(problem.getStatus()), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(ServerWebInputException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemDetail problem = Problems.of(ProblemCode.MALFORMED_REQUEST, status, readFailureDetail(ex));
        return handleExceptionInternal(ex, problem, headers, status, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleResponseStatusException(ResponseStatusException ex,
            HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        if (ex instanceof ContentTooLargeException) {
            String limit = maxRequestSize == null ? "the server's limit" : maxRequestSize.toBytes() + " bytes";
            ProblemDetail problem = Problems.of(ProblemCode.REQUEST_TOO_LARGE, status,
                    "The request body is larger than " + limit + ".");
            return handleExceptionInternal(ex, problem, headers, status, exchange);
        }
        if (status.value() == 404) {
            // The framework's text ("No static resource ...") talks about its internals, not the API.
            ProblemDetail problem = Problems.of(ProblemCode.NOT_FOUND, status, "Nothing is at "
                    + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath().value()
                    + ". The API is described at /swagger-ui.html.");
            return handleExceptionInternal(ex, problem, headers, status, exchange);
        }
        return super.handleResponseStatusException(ex, headers, status, exchange);
    }

    /** Every problem this handler answers passes here: give it a code and an instance, count it. */
    @Override
    protected Mono<ResponseEntity<Object>> createResponseEntity(Object body, HttpHeaders headers,
            HttpStatusCode status, ServerWebExchange exchange) {
        if (body instanceof ProblemDetail problem) {
            Problems.classify(problem);
            if (problem.getInstance() == null) {
                problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
            }
            metrics.count(problem);
            return Mono.just(ResponseEntity.status(status)
                    .headers(headers)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem));
        }
        return super.createResponseEntity(body, headers, status, exchange);
    }

    /** Says what is wrong with an unreadable body without echoing Java type names. */
    private static String readFailureDetail(ServerWebInputException ex) {
        JacksonException json = findCause(ex, JacksonException.class);
        if (json instanceof StreamConstraintsException) {
            // Jackson names the limit's accessor; the caller needs only the limit.
            String limit = json.getOriginalMessage().replaceAll(", from `[^`]*`", "");
            return "The request body exceeds a limit on JSON documents: " + limit + ".";
        }
        if (json instanceof StreamReadException) {
            TokenStreamLocation at = json.getLocation();
            return at == null || at.getLineNr() < 1
                    ? "The request body is not valid JSON."
                    : "The request body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ").";
        }
        if (json != null) {
            String path = json.getPath().isEmpty() ? null : jsonPath(json);
            return path == null
                    ? "The request body is not a JSON object of the expected shape."
                    : "The request member '" + path + "' has the wrong type.";
        }
        if (ex.getReason() != null && ex.getReason().contains("No request body")) {
            return "The request body is missing: send a JSON object.";
        }
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
