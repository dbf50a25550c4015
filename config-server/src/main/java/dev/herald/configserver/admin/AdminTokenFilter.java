package dev.herald.configserver.admin;

import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.configserver.problem.ProblemWriter;
import dev.herald.configserver.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Lets only holders of the admin token ({@code Authorization: Bearer <token>}) into {@code /admin/**}.
 * Everything else (Swagger UI, API docs, actuator) stays open.
 */
@Component
public final class AdminTokenFilter implements WebFilter, Ordered {

    /** Announced on every 401. */
    public static final String CHALLENGE = "Bearer realm=\"herald-admin\"";

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);
    private static final String PROTECTED_PREFIX = "/admin/";
    private static final String BEARER = "Bearer ";

    private final byte[] tokenDigest;
    private final ProblemWriter problems;

    public AdminTokenFilter(ConfigServerProperties properties, ProblemWriter problems) {
        this.tokenDigest = sha256(properties.adminToken());
        this.problems = problems;
        if (properties.usesDefaultAdminToken()) {
            log.warn("the admin API accepts the default token '{}': set herald.config-server.admin-token to a "
                    + "secret of your own before this server is reachable by anyone else",
                    ConfigServerProperties.DEFAULT_ADMIN_TOKEN);
        }
    }

    @Override
    public int getOrder() {
        // After the observation filter, so rejected requests show up in the HTTP server metrics.
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.startsWith(PROTECTED_PREFIX)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return unauthorized(exchange, "The admin API needs the admin token: send 'Authorization: Bearer <token>' "
                    + "(herald.config-server.admin-token).");
        }
        boolean bearer = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        // Digests have one length, so isEqual's time reveals neither the token nor its length.
        if (!bearer || !MessageDigest.isEqual(tokenDigest,
                sha256(authorization.substring(BEARER.length()).trim()))) {
            return unauthorized(exchange, "The Authorization header does not hold the admin token "
                    + "('Authorization: Bearer <token>').");
        }
        return chain.filter(exchange);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        return problems.write(exchange, Problems.of(ProblemCode.UNAUTHORIZED, detail), headers);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
