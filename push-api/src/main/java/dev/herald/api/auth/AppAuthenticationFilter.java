package dev.herald.api.auth;

import dev.herald.api.problem.ProblemCode;
import dev.herald.api.problem.ProblemWriter;
import dev.herald.api.problem.Problems;
import dev.herald.core.app.App;
import dev.herald.core.app.AppCatalog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
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
 * Authenticates app servers on {@code /v1/**} with HTTP Basic ({@code key:secret} of an app in
 * {@link AppCatalog}) and confines them to their own {@code /v1/apps/{appId}/...}. Everything else
 * (Swagger UI, API docs, actuator) stays open. The authenticated {@link App} is left in the exchange
 * for the controllers: see {@link #authenticatedApp(ServerWebExchange)}.
 */
@Component
public final class AppAuthenticationFilter implements WebFilter, Ordered {

    /** Realm announced on every 401. */
    public static final String CHALLENGE = "Basic realm=\"herald\"";

    private static final Logger log = LoggerFactory.getLogger(AppAuthenticationFilter.class);
    private static final String APP_ATTRIBUTE = AppAuthenticationFilter.class.getName() + ".app";
    private static final String PROTECTED_PREFIX = "/v1/";
    private static final PathPattern APP_PATH = PathPatternParser.defaultInstance.parse("/v1/apps/{appId}/**");
    /** Compared against when the key is unknown, so a wrong key costs the same as a wrong secret. */
    private static final byte[] NO_SECRET_DIGEST = sha256("no secret: the key is unknown");

    private final Map<String, KnownApp> appsByKey;
    private final ProblemWriter problems;

    public AppAuthenticationFilter(AppCatalog catalog, ProblemWriter problems) {
        Map<String, KnownApp> byKey = new HashMap<>();
        for (App app : catalog.apps()) {
            KnownApp previous = byKey.put(app.key(), new KnownApp(app, sha256(app.secret())));
            if (previous != null) {
                throw new IllegalStateException("apps " + previous.app().id() + " and " + app.id()
                        + " share a key: every app needs its own herald.apps[n].key");
            }
        }
        this.appsByKey = Map.copyOf(byKey);
        this.problems = problems;
        if (appsByKey.isEmpty()) {
            log.warn("no apps configured (herald.apps): every /v1 request will be rejected with 401");
        } else {
            log.info("authenticating {} app(s): {}", appsByKey.size(),
                    catalog.apps().stream().map(App::id).toList());
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
        KnownApp known = appsByKey.get(credentials.substring(0, colon));
        byte[] given = sha256(credentials.substring(colon + 1));
        // Digests have one length, so isEqual's time reveals neither the secret nor its length.
        boolean match = MessageDigest.isEqual(known == null ? NO_SECRET_DIGEST : known.secretDigest(), given);
        return known != null && match ? Optional.of(known.app()) : Optional.empty();
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

    private record KnownApp(App app, byte[] secretDigest) {
    }
}
