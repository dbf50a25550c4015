package dev.herald.api;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
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
@AutoConfigureWebTestClient
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
}
