package dev.herald.ops.internal;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Closes {@code /internal/**} to callers without the service key ({@link ServiceKey#HEADER}): 401 with a
 * problem document ({@code code} {@code SERVICE_KEY_REQUIRED}), before any handler (so before the body is
 * read or anything is touched). Other paths pass; the actuator lives on the management port anyway.
 */
public final class ServiceKeyFilter implements WebFilter, Ordered {

    static final String PROTECTED_PREFIX = "/internal/";
    private static final Logger log = LoggerFactory.getLogger(ServiceKeyFilter.class);
    private static final MediaType PROBLEM = MediaType.valueOf("application/problem+json");

    private final ServiceKey key;

    public ServiceKeyFilter(ServiceKey key) {
        this.key = key;
    }

    @Override
    public int getOrder() {
        // After the observation filter, so refused requests show in the HTTP server metrics.
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(PROTECTED_PREFIX)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(ServiceKey.HEADER);
        if (key.accepts(presented)) {
            return chain.filter(exchange);
        }
        log.debug("refused {} {} from {}: {} service key", exchange.getRequest().getMethod(), path,
                exchange.getRequest().getRemoteAddress(), presented == null ? "no" : "a wrong");
        String detail = presented == null
                ? "Internal APIs need the service key in the " + ServiceKey.HEADER + " header (herald.internal.service-key)."
                : "The " + ServiceKey.HEADER + " header does not hold the current or previous service key.";
        String body = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"code\":\"SERVICE_KEY_REQUIRED\","
                + "\"detail\":\"" + detail + "\"}";
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(PROBLEM);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "HeraldServiceKey");
        DataBuffer buffer = response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8));
        return response.writeWith(Mono.just(buffer));
    }
}
