package dev.herald.configserver.admin;

import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.web.auth.SecretHeaderFilter;
import dev.herald.web.auth.SharedSecret;
import dev.herald.web.problem.ProblemWriter;
import dev.herald.web.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Lets only holders of the admin token ({@code Authorization: Bearer <token>}) into {@code /admin/**}.
 * Everything else (Swagger UI, API docs, actuator) stays open.
 */
@Component
public final class AdminTokenFilter extends SecretHeaderFilter {

    /** Announced on every 401. */
    public static final String CHALLENGE = "Bearer realm=\"herald-admin\"";

    private static final Logger log = LoggerFactory.getLogger(AdminTokenFilter.class);
    private static final String BEARER = "Bearer ";

    private final SharedSecret token;

    public AdminTokenFilter(ConfigServerProperties properties, ProblemWriter problems) {
        super("/admin/", HttpHeaders.AUTHORIZATION, CHALLENGE, problems);
        this.token = SharedSecret.of(properties.adminToken());
        if (properties.usesDefaultAdminToken()) {
            log.warn("the admin API accepts the default token '{}': set herald.config-server.admin-token to a "
                    + "secret of your own before this server is reachable by anyone else",
                    ConfigServerProperties.DEFAULT_ADMIN_TOKEN);
        }
    }

    @Override
    protected boolean accepts(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && token.matches(authorization.substring(BEARER.length()).trim());
    }

    @Override
    protected ProblemDetail refusal(String authorization) {
        return Problems.of(ProblemCode.UNAUTHORIZED, authorization == null || authorization.isBlank()
                ? "The admin API needs the admin token: send 'Authorization: Bearer <token>' "
                        + "(herald.config-server.admin-token)."
                : "The Authorization header does not hold the admin token ('Authorization: Bearer <token>').");
    }
}
