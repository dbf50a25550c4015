package dev.herald.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.app.ApiSignature;
import dev.herald.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Stops Redis under a running push-api: requests must fail fast with a retryable 503 problem. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.data.redis.timeout=300ms")
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@DirtiesContext
class RedisOutageTest {

    /** Its own server, not the shared one: this test kills it. */
    private static RedisServer redis;

    @Autowired
    WebTestClient web;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @DynamicPropertySource
    static void redisAddress(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> redis.host());
        registry.add("spring.data.redis.port", () -> redis.port());
    }

    @Test
    void requestsAnswerRetryableServiceUnavailableWhileRedisIsDown() {
        WebTestClient demo = web.mutate().defaultHeaders(h -> h.setBasicAuth("demo-key", "demo-secret-0123456789")).build();
        String body = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";
        demo.post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.id").exists();

        redis.close();

        demo.post().uri("/v1/apps/demo/messages").header("Idempotency-Key", "retry-me")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNAVAILABLE")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("Retry"));
        demo.get().uri("/v1/apps/demo/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        // Token minting needs no Redis and keeps working with Basic...
        demo.post().uri("/v1/apps/demo/device-tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deviceId\": \"device-1\"}").exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.token").exists();
        // ...but a signed request cannot be checked for replay without Redis: refused, retryable.
        String mint = "{\"deviceId\": \"device-1\"}";
        web.post().uri("/v1/apps/demo/device-tokens")
                .header(HttpHeaders.AUTHORIZATION, ApiSignature.authorization("demo-key", "demo-secret-0123456789", "POST",
                        "/v1/apps/demo/device-tokens", null, mint.getBytes(StandardCharsets.UTF_8)))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(mint.getBytes(StandardCharsets.UTF_8)).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNAVAILABLE")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("replay"));
    }
}
