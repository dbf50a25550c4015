package dev.herald.web.problem;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a problem document straight to the response, for code that runs before any controller (the
 * authentication filters). Uses the application's codecs, so the document looks exactly like the ones the
 * {@link ProblemExceptionHandler} renders. Every Herald WebFlux service has one as a bean.
 */
public final class ProblemWriter {

    private final ServerResponse.Context context;
    private final List<ProblemListener> listeners;

    public ProblemWriter(ServerCodecConfigurer codecs) {
        this(codecs, List.of());
    }

    public ProblemWriter(ServerCodecConfigurer codecs, List<ProblemListener> listeners) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
        this.listeners = List.copyOf(listeners);
    }

    /**
     * For answers given before the request's body was read (refused credentials, a blocked address, a body
     * over the limit): when the request has a body, the answer also closes the connection, so that the
     * unread bytes can neither stall nor be taken for the next request on it, and a stranger's body is
     * never read just to keep the connection.
     */
    public Mono<Void> writeBeforeBody(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
        HttpHeaders request = exchange.getRequest().getHeaders();
        if (request.getContentLength() > 0 || request.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
            HttpHeaders closing = new HttpHeaders();
            closing.addAll(headers);
            closing.set(HttpHeaders.CONNECTION, "close");
            return write(exchange, problem, closing);
        }
        return write(exchange, problem, headers);
    }

    /** Writes {@code problem} as {@code application/problem+json}, its {@code instance} the request's path. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem, HttpHeaders headers) {
        if (problem.getInstance() == null) {
            problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        }
        for (ProblemListener listener : listeners) {
            listener.answered(problem);
        }
        return ServerResponse.status(problem.getStatus())
                .headers(h -> h.addAll(headers))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem)
                .flatMap(response -> response.writeTo(exchange, context));
    }
}
