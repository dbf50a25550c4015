package dev.herald.api.auth;

import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.ProblemCode;
import dev.herald.api.problem.StoreFailure;
import dev.herald.core.app.ApiSignature;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.redis.RedisKeys;
import dev.herald.web.problem.ProblemWriter;
import dev.herald.web.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.autoconfigure.HttpCodecsProperties;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Authenticates app servers on {@code /v1/**} and confines them to their own
 * {@code /v1/apps/{appId}/...}. Two ways in:
 * <ul>
 *   <li><b>Signed requests</b> ({@link ApiSignature}, always accepted): the key names the app, the
 *       timestamp must be within {@code herald.api.auth.max-clock-skew} of this server's clock, the
 *       HMAC over method, path, query, timestamp, nonce and body hash must match one of the app's secrets,
 *       and the nonce must be new: it is claimed in Redis ({@code SET NX EX}) for as long as the timestamp
 *       stays acceptable, so an exact replay is refused by every push-api instance. Checked in that order,
 *       cheapest first; the nonce only after the signature, so strangers cannot fill Redis.</li>
 *   <li><b>HTTP Basic</b> key:secret, only while {@code herald.api.auth.basic-enabled} (on for the local
 *       demo; turn it off in production).</li>
 * </ul>
 * Apps come from the {@link AppDirectory} (static configuration, or the current ZooKeeper snapshot, so an
 * app created or rotated there is accepted at once); any of an app's secrets verifies. Everything else
 * (Swagger UI, API docs, actuator, the demo page) stays open. The authenticated {@link App} is left in the
 * exchange for the controllers, which use that one object for the whole request:
 * {@link #authenticatedApp(ServerWebExchange)}. Every refusal is a 401 problem document saying what to fix.
 */
@Component
public final class AppAuthenticationFilter implements WebFilter, Ordered {

    /** Challenge for signed requests, announced on every 401. */
    public static final String SIGNATURE_CHALLENGE = ApiSignature.SCHEME + " realm=\"herald\"";
    /** Challenge for HTTP Basic, announced on 401s while Basic is enabled. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"herald\"";
    /** Problem member holding the string the server signed, when a signature does not match. */
    public static final String STRING_TO_SIGN = "stringToSign";

    private static final Logger log = LoggerFactory.getLogger(AppAuthenticationFilter.class);
    private static final String APP_ATTRIBUTE = AppAuthenticationFilter.class.getName() + ".app";
    private static final String PROTECTED_PREFIX = "/v1/";
    private static final PathPattern APP_PATH = PathPatternParser.defaultInstance.parse("/v1/apps/{appId}/**");
    private static final int DEFAULT_MAX_BODY_BYTES = 256 * 1024;
    /**
     * Checked when the key is unknown, with as many secrets as an app may have, so a wrong key costs the
     * same as a wrong secret.
     */
    private static final App NO_APP = new App("unknown", null, "unknown", List.of(
            "no secret: the key is unknown 1", "no secret: the key is unknown 2"), null, null, null);

    private final AppDirectory apps;
    private final ProblemWriter problems;
    private final ReactiveStringRedisTemplate redis;
    private final boolean basicEnabled;
    private final long maxSkewSeconds;
    private final int maxBodyBytes;

    public AppAuthenticationFilter(AppDirectory apps, ProblemWriter problems, ReactiveStringRedisTemplate redis,
                                   PushApiProperties properties, ObjectProvider<HttpCodecsProperties> codecs) {
        this.apps = apps;
        this.problems = problems;
        this.redis = redis;
        this.basicEnabled = properties.auth().basicEnabled();
        this.maxSkewSeconds = properties.auth().maxClockSkew().toSeconds();
        HttpCodecsProperties codec = codecs.getIfAvailable();
        this.maxBodyBytes = codec == null || codec.getMaxInMemorySize() == null ? DEFAULT_MAX_BODY_BYTES
                : (int) Math.min(Integer.MAX_VALUE, codec.getMaxInMemorySize().toBytes());
        if (basicEnabled) {
            log.warn("HTTP Basic (key:secret) is accepted on /v1: fine for the local demo, but turn it off in "
                    + "production (herald.api.auth.basic-enabled=false) so that only signed requests are; see "
                    + "docs/security.md");
        }
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
            return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "This API needs authentication: sign the request ("
                    + ApiSignature.SCHEME + ", see docs/security.md)" + (basicEnabled
                    ? " or use HTTP Basic with your app's key as the user name and its secret as the password." : "."));
        }
        if (ApiSignature.isScheme(authorization)) {
            return signed(exchange, chain, authorization);
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6) || authorization.equalsIgnoreCase("Basic")) {
            if (!basicEnabled) {
                return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "HTTP Basic is turned off on this server: sign "
                        + "the request with " + ApiSignature.SCHEME + " (see docs/security.md).");
            }
            Optional<App> app = basic(authorization);
            if (app.isEmpty()) {
                return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "The Authorization header does not hold a "
                        + "valid app key and secret (HTTP Basic, key:secret).");
            }
            return authorized(exchange, chain, app.get(), false);
        }
        return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "Unsupported Authorization scheme: use "
                + ApiSignature.SCHEME + (basicEnabled ? " or Basic." : "."));
    }

    private Mono<Void> signed(ServerWebExchange exchange, WebFilterChain chain, String authorization) {
        ApiSignature.Parsed parsed = ApiSignature.parse(authorization);
        if (parsed.value().isEmpty()) {
            return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "The " + ApiSignature.SCHEME + " Authorization "
                    + "header is malformed: " + parsed.error() + ". Expected: " + ApiSignature.SCHEME
                    + " key=\"<app key>\", ts=<epoch seconds>, nonce=<16-64 of [A-Za-z0-9_-]>, sig=<hex HMAC-SHA256>.");
        }
        ApiSignature.Credentials credentials = parsed.credentials();
        Optional<App> found = apps.findByKey(credentials.key());
        if (found.isEmpty()) {
            return unauthorized(exchange, ProblemCode.UNAUTHORIZED, "The key in the signature is not the key of any "
                    + "app: check 'key' (it is the app's key, not its id or secret).");
        }
        App app = found.get();
        long now = System.currentTimeMillis() / 1000;
        long skew = credentials.timestamp() - now;
        if (Math.abs(skew) > maxSkewSeconds) {
            ProblemDetail problem = Problems.of(ProblemCode.REQUEST_EXPIRED, "The signature's timestamp " + credentials
                    .timestamp() + " is " + Math.abs(skew) + " s " + (skew < 0 ? "behind" : "ahead of")
                    + " this server's clock (" + now + "); signed requests are accepted within " + maxSkewSeconds
                    + " s. Sign each request when you send it, with a synchronised clock (NTP).");
            problem.setProperty("serverTime", now);
            return unauthorized(exchange, problem, false);
        }
        ServerHttpRequest request = exchange.getRequest();
        return body(request)
                .flatMap(body -> {
                    String toSign = ApiSignature.stringToSign(credentials.key(), credentials.timestamp(),
                            credentials.nonce(), request.getMethod().name(), request.getURI().getRawPath(),
                            request.getURI().getRawQuery(), body);
                    if (!ApiSignature.matches(app.secrets(), toSign, credentials.signature())) {
                        log.debug("bad signature from app {} for {} {}", app.id(), request.getMethod(), request.getPath());
                        ProblemDetail problem = Problems.of(ProblemCode.UNAUTHORIZED, "The signature does not match: "
                                + "sign the string in '" + STRING_TO_SIGN + "' (method, path, query and the SHA-256 "
                                + "of the body as received) with HMAC-SHA256 and one of the app's secrets.");
                        problem.setProperty(STRING_TO_SIGN, toSign);
                        return unauthorized(exchange, problem, true);
                    }
                    // Remembered until the timestamp leaves the window (it is accepted up to skew after it).
                    long ttl = Math.max(1, credentials.timestamp() + maxSkewSeconds - now + 1);
                    return redis.opsForValue()
                            .setIfAbsent(RedisKeys.nonce(app.id(), credentials.nonce()), "1", Duration.ofSeconds(ttl))
                            .flatMap(fresh -> Boolean.TRUE.equals(fresh)
                                    ? authorized(exchange.mutate().request(withBody(request, body)).build(), chain, app,
                                    true)
                                    : unauthorized(exchange, Problems.of(ProblemCode.REQUEST_REPLAYED, "This nonce was "
                                    + "already used within the last " + (2 * maxSkewSeconds) + " s: the request is a "
                                    + "replay. Sign every request with a fresh random nonce."), true))
                            // Redis killed under the SET fails it with the bare socket error, wrapped or not.
                            .onErrorResume(StoreFailure::is, e -> unavailable(exchange, e));
                })
                .onErrorResume(DataBufferLimitException.class, e -> problems.writeBeforeBody(exchange,
                        Problems.of(ProblemCode.REQUEST_TOO_LARGE, "The request body is larger than " + maxBodyBytes
                                + " bytes."), HttpHeaders.EMPTY));
    }

    /** The whole body, at most {@link #maxBodyBytes}; empty bytes when there is none. */
    private Mono<byte[]> body(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0]);
    }

    /** The request again, its body the bytes already read (they were consumed for the signature). */
    private static ServerHttpRequest withBody(ServerHttpRequest request, byte[] body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                // A heap buffer over the copy: nothing pooled to release, however often it is read.
                return body.length == 0 ? Flux.empty()
                        : Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
            }
        };
    }

    private Optional<App> basic(String authorization) {
        if (authorization.length() < 6) {
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

    /**
     * Confines an authenticated app to its own paths and hands the request on; {@code bodyRead} tells
     * whether a refusal may keep the connection.
     */
    private Mono<Void> authorized(ServerWebExchange exchange, WebFilterChain chain, App app, boolean bodyRead) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        PathPattern.PathMatchInfo match = APP_PATH.matchAndExtract(path);
        String pathApp = match == null ? null : match.getUriVariables().get("appId");
        if (pathApp != null && !pathApp.equals(app.id())) {
            log.debug("app {} tried to act on app {} at {}", app.id(), pathApp, path);
            ProblemDetail forbidden = Problems.of(ProblemCode.FORBIDDEN, "These credentials belong to app '"
                    + app.id() + "' and cannot act on app '" + pathApp + "'.");
            return bodyRead ? problems.write(exchange, forbidden, HttpHeaders.EMPTY)
                    : problems.writeBeforeBody(exchange, forbidden, HttpHeaders.EMPTY);
        }
        exchange.getAttributes().put(APP_ATTRIBUTE, app);
        return chain.filter(exchange);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, ProblemCode code, String detail) {
        return unauthorized(exchange, Problems.of(code, detail), false);
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, ProblemDetail problem, boolean bodyRead) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.WWW_AUTHENTICATE, SIGNATURE_CHALLENGE);
        if (basicEnabled) {
            headers.add(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE);
        }
        return bodyRead ? problems.write(exchange, problem, headers) : problems.writeBeforeBody(exchange, problem, headers);
    }

    private Mono<Void> unavailable(ServerWebExchange exchange, Throwable cause) {
        log.warn("Redis failed while checking the nonce of {} {}: {}", exchange.getRequest().getMethod(),
                exchange.getRequest().getPath(), cause.toString());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "1");
        return problems.write(exchange, Problems.of(ProblemCode.UNAVAILABLE, "Herald's store is unavailable, so the "
                + "request could not be checked for replay and was not carried out. Retry it after a short delay, "
                + "signed again with a fresh nonce."), headers);
    }
}
