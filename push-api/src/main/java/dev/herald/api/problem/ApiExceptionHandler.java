package dev.herald.api.problem;

import dev.herald.web.problem.ProblemExceptionHandler;
import dev.herald.web.problem.ProblemListener;
import dev.herald.web.problem.Problems;
import io.lettuce.core.RedisException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.autoconfigure.HttpCodecsProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * push-api's problem answers beyond the common ones ({@link ProblemExceptionHandler}: its own rejections,
 * the framework's, bugs): Redis failures and an unanswering chatroom-service (503), and the parser limits
 * of {@code JsonReadLimits}. Every problem answered is counted by {@link RejectionMetrics}.
 */
@RestControllerAdvice
public final class ApiExceptionHandler extends ProblemExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    public ApiExceptionHandler(ObjectProvider<HttpCodecsProperties> codecs, ObjectProvider<ProblemListener> listeners) {
        super(ProblemCode::forStatus, codecs, listeners);
    }

    /** A service push-api depends on (the chatroom-service) did not answer: retrying later may work. */
    @ExceptionHandler(DependencyUnavailableException.class)
    public Mono<ResponseEntity<Object>> handleDependency(DependencyUnavailableException ex, ServerWebExchange exchange) {
        log.warn("{} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex.getMessage());
        return answer(Problems.of(ProblemCode.UNAVAILABLE, ex.getMessage()), retryAfter("1"), exchange);
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
    @Override
    protected Mono<ResponseEntity<Object>> unexpected(Exception ex, ServerWebExchange exchange) {
        Throwable storeFailure = StoreFailure.find(ex);
        if (storeFailure != null) {
            log.debug("store failure wrapped in {}", ex.getClass().getName(), ex);
            return storeUnavailable(storeFailure, exchange);
        }
        return super.unexpected(ex, exchange);
    }

    private Mono<ResponseEntity<Object>> storeUnavailable(Throwable failure, ServerWebExchange exchange) {
        Throwable cause = failure instanceof DataAccessException dae ? dae.getMostSpecificCause() : failure;
        log.warn("Redis failed during {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), cause.toString());
        return answer(Problems.of(ProblemCode.UNAVAILABLE,
                // A command that timed out may still have been carried out by Redis (a send's XADD among them).
                "Herald's message store is unavailable or did not answer in time; the request may not have been "
                        + "carried out. Retry it after a short delay; retry a send with the same Idempotency-Key, so "
                        + "that one that did get through is not sent twice."), retryAfter("1"), exchange);
    }

    @Override
    protected String jsonFailureDetail(JacksonException json) {
        if (json instanceof StreamConstraintsException) {
            // Jackson names the limit's accessor; the caller needs only the limit.
            String limit = json.getOriginalMessage().replaceAll(", from `[^`]*`", "");
            return "The request body exceeds a limit on JSON documents: " + limit + ".";
        }
        return super.jsonFailureDetail(json);
    }
}
