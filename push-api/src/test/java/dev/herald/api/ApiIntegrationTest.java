package dev.herald.api;

import dev.herald.core.app.ApiSignature;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of push-api's integration tests: the whole application on a random port against a real Redis
 * (one for the whole run, see {@link SharedRedis}). Apps {@code demo} and {@code other} come from
 * {@code application-test.yml}; the payload limit there is 100 bytes.
 */
// Its beforeAll sets the Redis system properties; Spring starts the context later, at the first test.
@ExtendWith(SharedRedis.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Generous: the first /v3/api-docs request builds the OpenAPI model, seconds on a loaded 2-core machine.
@AutoConfigureWebTestClient(timeout = "30s")
@ActiveProfiles("test")
public abstract class ApiIntegrationTest {

    protected static final String DEMO_KEY = "demo-key";
    protected static final String DEMO_SECRET = "demo-secret-0123456789";
    protected static final String OTHER_KEY = "other-key";
    protected static final String OTHER_SECRET = "other-secret-0123456789";

    /** The public port: the API, its docs. */
    @Autowired
    protected WebTestClient web;

    /** The management port (actuator), separate from the public one. */
    @LocalManagementPort
    protected int managementPort;

    /** The application's own Redis connection, used blocking for assertions. */
    @Autowired
    protected StringRedisTemplate redis;

    protected WebTestClient management() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    protected WebTestClient asDemo() {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(DEMO_KEY, DEMO_SECRET)).build();
    }

    protected WebTestClient asOther() {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(OTHER_KEY, OTHER_SECRET)).build();
    }

    /** A request signed now with a fresh nonce ({@code body} may be {@code null}), sent as JSON. */
    protected WebTestClient.ResponseSpec signed(String key, String secret, HttpMethod method, String uri, String body) {
        return send(method, uri, body, MediaType.APPLICATION_JSON, authorization(key, secret, method, uri, body));
    }

    /** The Authorization header of {@code method uri} with {@code body}, signed now with a fresh nonce. */
    protected static String authorization(String key, String secret, HttpMethod method, String uri, String body) {
        URI parsed = URI.create(uri);
        return ApiSignature.authorization(key, secret, method.name(), parsed.getRawPath(), parsed.getRawQuery(),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends exactly {@code body} (may be {@code null}) with the given Authorization header. */
    protected WebTestClient.ResponseSpec send(HttpMethod method, String uri, String body, MediaType contentType,
                                              String authorization) {
        WebTestClient.RequestBodySpec request = web.method(method).uri(uri)
                .header(HttpHeaders.AUTHORIZATION, authorization);
        if (body == null) {
            return request.exchange();
        }
        return request.contentType(contentType).bodyValue(body.getBytes(StandardCharsets.UTF_8)).exchange();
    }
}
