package dev.herald.api.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.testsupport.RedisServer;
import java.io.IOException;
import dev.herald.core.app.ApiSignature;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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
 * Redis dies with push-api's command in flight (the fault suite's Redis kill found this, twice): the
 * command fails with the bare socket error, which must still be a retryable 503 problem, not a 500,
 * whether it is the message's own write or a signed request's nonce check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Long enough that only the reset, never the timeout, can end the command.
        properties = "spring.data.redis.timeout=20s")
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@DirtiesContext
class RedisConnectionResetTest {

    private static final String MESSAGES = "/v1/apps/demo/messages";
    private static final String BODY = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

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

    /** Basic authentication: the message's own write (HSET, XADD) is in flight. */
    @Test
    void connectionResetUnderACommandInFlightAnswersRetryableServiceUnavailable() {
        assertRetryableServiceUnavailable(cutOffDuring(spec -> spec.headers(h -> h.setBasicAuth("demo-key",
                "demo-secret-0123456789"))));
    }

    /** A signed request: the nonce check (SET NX) is the command in flight. */
    @Test
    void connectionResetUnderTheNonceCheckAnswersRetryableServiceUnavailable() {
        assertRetryableServiceUnavailable(cutOffDuring(spec -> spec.header(HttpHeaders.AUTHORIZATION,
                ApiSignature.authorization("demo-key", "demo-secret-0123456789", "POST", MESSAGES, null,
                        BODY.getBytes(StandardCharsets.UTF_8)))));
    }

    /** Sends once normally, then again with Redis swallowing commands, and resets the connection under it. */
    private EntityExchangeResult<String> cutOffDuring(UnaryOperator<WebTestClient.RequestBodySpec> auth) {
        WebTestClient client = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        proxy.swallow(false);
        auth.apply(client.post().uri(MESSAGES)).contentType(MediaType.APPLICATION_JSON).bodyValue(BODY).exchange()
                .expectStatus().isAccepted();

        proxy.swallow(true);
        long sentBefore = proxy.bytesFromClients();
        CompletableFuture<EntityExchangeResult<String>> send = CompletableFuture.supplyAsync(() ->
                auth.apply(client.post().uri(MESSAGES)).contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                        .exchange().expectBody(String.class).returnResult());
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.bytesFromClients() > sentBefore);
        proxy.resetClients();
        EntityExchangeResult<String> result = send.orTimeout(60, TimeUnit.SECONDS).join();
        proxy.swallow(false);
        return result;
    }

    private static void assertRetryableServiceUnavailable(EntityExchangeResult<String> result) {
        assertThat(result.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(result.getResponseBody()).contains("\"code\":\"UNAVAILABLE\"");
    }
}
