package dev.herald.api;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.StringRedisTemplate;
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

    @Autowired
    protected WebTestClient web;

    /** The application's own Redis connection, used blocking for assertions. */
    @Autowired
    protected StringRedisTemplate redis;

    protected WebTestClient asDemo() {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(DEMO_KEY, DEMO_SECRET)).build();
    }

    protected WebTestClient asOther() {
        return web.mutate().defaultHeaders(h -> h.setBasicAuth(OTHER_KEY, OTHER_SECRET)).build();
    }
}
