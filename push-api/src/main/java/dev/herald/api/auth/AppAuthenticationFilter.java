package dev.herald.api.auth;

import dev.herald.api.problem.ProblemCode;
import dev.herald.api.problem.ProblemWriter;
import dev.herald.api.problem.Problems;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Authenticates app servers on {@code /v1/**} with HTTP Basic (the key and any one secret of an app in
 * the {@link AppDirectory}: static configuration, or the current ZooKeeper snapshot, so an app created
 * or rotated there is accepted at once) and confines them to their own {@code /v1/apps/{appId}/...}.
 * Everything else (Swagger UI, API docs, actuator) stays open. The authenticated {@link App} is left in
 * the exchange for the controllers, which use that one object for the whole request: see
 * {@link #authenticatedApp(ServerWebExchange)}.
 */
@Component
public final class AppAuthenticationFilter implements WebFilter, Ordered {

    /** Realm announced on every 401. */
    public static final String CHALLENGE = "Basic realm=\"herald\"";

    private static final Logger log = LoggerFactory.getLogger(AppAuthenticationFilter.class);
    private static final String APP_ATTRIBUTE = AppAuthenticationFilter.class.getName() + ".app";
    private static final String PROTECTED_PREFIX = "/v1/";
    private static final PathPattern APP_PATH = PathPatternParser.defaultInstance.parse("/v1/apps/{appId}/**");
    /**
     * Checked when the key is unknown, with as many secrets as an app may have, so a wrong key costs the
     * same as a wrong secret.
     */
    private static final App NO_APP = new App("unknown", null, "unknown", List.of(
            "no secret: the key is unknown 1", "no secret: the key is unknown 2"), null, null, null);

    private final AppDirectory apps;
    private final ProblemWriter problems;

    public AppAuthenticationFilter(AppDirectory apps, ProblemWriter problems) {
        this.apps = apps;
        this.problems = problems;
        if (apps.apps().isEmpty()) {
            log.warn("no apps known yet (herald.apps, or apps/ in ZooKeeper): /v1 requests are rejected with 401 "
                    + "until there are");
        } else {
            log.info("authenticating {} app(s) known at start-up: {}", apps.apps().size(),
                    apps.apps().stream().map(App::id).sorted().toList());
        }
    }

    /** The app whose credentials authenticated this request; only set on {@code /v1/**}. */
    public static App authenticatedApp(ServerWebExchange exchange) {
        App app = exchange.getAttribute(APP_ATTRIBUTE);
        if (app == null) {
            throw new IllegalStateException("no authenticated app: is the handler outside /v1/**?");
        }
        return app;
    }

    @Override
    public int getOrder() {
        // After the observation filter, so rejected requests show up in the HTTP server metrics.
        return 0;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (!path.value().startsWith(PROTECTED_PREFIX)) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return unauthorized(exchange, "This API needs HTTP Basic authentication with your app's key as the "
                    + "user name and its secret as the password.");
        }
        Optional<App> app = authenticate(authorization);
        if (app.isEmpty()) {
            return unauthorized(exchange, "The Authorization header does not hold a valid app key and secret "
                    + "(HTTP Basic, key:secret).");
        }
        PathPattern.PathMatchInfo match = APP_PATH.matchAndExtract(path);
        String pathApp = match == null ? null : match.getUriVariables().get("appId");
        if (pathApp != null && !pathApp.equals(app.get().id())) {
            log.debug("app {} tried to act on app {} at {}", app.get().id(), pathApp, path);
            return problems.write(exchange, Problems.of(ProblemCode.FORBIDDEN, "These credentials belong to app '"
                    + app.get().id() + "' and cannot act on app '" + pathApp + "'."), HttpHeaders.EMPTY);
        }
        exchange.getAttributes().put(APP_ATTRIBUTE, app.get());
        return chain.filter(exchange);
    }

    private Optional<App> authenticate(String authorization) {
        if (authorization.length() < 6 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = credentials.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        Optional<App> known = apps.findByKey(credentials.substring(0, colon));
        // secretMatches compares digests in constant time; an unknown key is checked against a stand-in.
        boolean match = known.orElse(NO_APP).secretMatches(credentials.substring(colon + 1));
        return known.isPresent() && match ? known : Optional.empty();
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        return problems.write(exchange, Problems.of(ProblemCode.UNAUTHORIZED, detail), headers);
    }
}
