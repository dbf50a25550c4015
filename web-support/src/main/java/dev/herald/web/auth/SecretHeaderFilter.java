package dev.herald.web.auth;

import dev.herald.web.problem.ProblemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets into the paths below one prefix only requests whose header holds a shared secret; other paths pass.
 * A refused request is answered 401 with a problem document and a {@code WWW-Authenticate} challenge before
 * any handler runs (so before its body is read or anything is touched). A service says which header holds
 * what ({@link #accepts}, comparing with a {@link SharedSecret}) and what the refusal says ({@link #refusal}).
 */
public abstract class SecretHeaderFilter implements WebFilter, Ordered {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String pathPrefix;
    private final String header;
    private final String challenge;
    private final ProblemWriter problems;

    /**
     * @param pathPrefix the protected paths' prefix, within the application ({@code /admin/})
     * @param header     the request header that holds the secret
     * @param challenge  the {@code WWW-Authenticate} value of a refusal
     * @param problems   writes the refusal
     */
    protected SecretHeaderFilter(String pathPrefix, String header, String challenge, ProblemWriter problems) {
        this.pathPrefix = pathPrefix;
        this.header = header;
        this.challenge = challenge;
        this.problems = problems;
    }

    @Override
    public final int getOrder() {
        // After the observation filter, so refused requests show up in the HTTP server metrics.
        return 0;
    }

    @Override
    public final Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(pathPrefix)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(header);
        if (accepts(presented)) {
            return chain.filter(exchange);
        }
        log.debug("refused {} {} from {}: {} {}", exchange.getRequest().getMethod(), path,
                exchange.getRequest().getRemoteAddress(), presented == null ? "no" : "a wrong", header);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return problems.write(exchange, refusal(presented), headers);
    }

    /** Whether the header's value ({@code null} when it is absent) holds the secret. */
    protected abstract boolean accepts(String presented);

    /** The 401 problem for a request whose header held {@code presented} ({@code null} when it was absent). */
    protected abstract ProblemDetail refusal(String presented);
}
