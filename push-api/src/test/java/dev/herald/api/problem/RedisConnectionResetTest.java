package dev.herald.api.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testsupport.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Redis dies with push-api's command in flight (the fault suite's Redis kill found this): the command
 * fails with the bare socket error, which must still be a retryable 503 problem, not a 500.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Long enough that only the reset, never the timeout, can end the command.
        properties = "spring.data.redis.timeout=20s")
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@DirtiesContext
class RedisConnectionResetTest {

    private static RedisServer redis;
    private static ResettingProxy proxy;

    @Autowired
    WebTestClient web;

    @BeforeAll
    static void startRedisBehindProxy() throws IOException {
        redis = RedisServer.start();
        proxy = new ResettingProxy(redis.port());
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        redis.close();
    }

    @DynamicPropertySource
    static void redisAddress(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", () -> proxy.port());
    }

    @Test
    void connectionResetUnderACommandInFlightAnswersRetryableServiceUnavailable() {
        WebTestClient demo = web.mutate()
                .defaultHeaders(h -> h.setBasicAuth("demo-key", "demo-secret-0123456789"))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        String body = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";
        demo.post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isAccepted();

        proxy.swallow(true);
        long sentBefore = proxy.bytesFromClients();
        CompletableFuture<EntityExchangeResult<String>> send = CompletableFuture.supplyAsync(() ->
                demo.post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                        .exchange().expectBody(String.class).returnResult());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.bytesFromClients() > sentBefore);
        proxy.resetClients();

        EntityExchangeResult<String> result = send.join();
        assertThat(result.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(result.getResponseBody()).contains("\"code\":\"UNAVAILABLE\"");
    }
}
