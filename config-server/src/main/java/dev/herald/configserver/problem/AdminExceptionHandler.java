package dev.herald.configserver.problem;

import dev.herald.configserver.zookeeper.ZooKeeperUnavailableException;
import dev.herald.web.problem.ProblemExceptionHandler;
import dev.herald.web.problem.ProblemListener;
import dev.herald.web.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.autoconfigure.HttpCodecsProperties;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Mono;

/**
 * The admin API's problem answers beyond the common ones ({@link ProblemExceptionHandler}: its own
 * rejections, the framework's, bugs): ZooKeeper outages (503), and what is wrong with a query parameter.
 */
@RestControllerAdvice
public final class AdminExceptionHandler extends ProblemExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AdminExceptionHandler.class);

    public AdminExceptionHandler(ObjectProvider<HttpCodecsProperties> codecs,
            ObjectProvider<ProblemListener> listeners) {
        super(ProblemCode::forStatus, codecs, listeners);
    }

    @ExceptionHandler(ZooKeeperUnavailableException.class)
    public Mono<ResponseEntity<Object>> handleUnavailable(ZooKeeperUnavailableException ex,
            ServerWebExchange exchange) {
        log.warn("ZooKeeper unavailable during {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), ex.getMessage());
        return answer(Problems.of(ProblemCode.UNAVAILABLE, "ZooKeeper is unavailable (" + ex.getMessage()
                + "). Retry after a short delay; for a write, read the node first: its version tells whether the "
                + "write was applied."), retryAfter("1"), exchange);
    }

    @Override
    protected String inputFailureDetail(ServerWebInputException ex) {
        if (ex instanceof MissingRequestValueException missing) {
            return "The request lacks the " + missing.getLabel() + " '" + missing.getName() + "'.";
        }
        if (ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null) {
            return "The request parameter '" + ex.getMethodParameter().getParameterName() + "' is invalid.";
        }
        return super.inputFailureDetail(ex);
    }
}
