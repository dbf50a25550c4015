package dev.herald.api.backpressure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * push-api refuses sends while delivery in the app's cell is behind, and accepts again once it caught up. No
 * dispatcher runs here, so the test plays one: it leaves entries in the intake stream or deletes them.
 */
@TestPropertySource(properties = {
        "herald.api.backlog.max-entries=5",
        "herald.api.backlog.max-age=PT1H",
        "herald.api.backlog.poll-interval=PT0.02S"})
class BackpressureTest extends ApiIntegrationTest {

    private static final String STREAM = RedisKeys.intake("backlogged");
    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

    @BeforeEach
    void emptyIntake() {
        redis.delete(STREAM);
    }

    private EntityExchangeResult<byte[]> send(String path, String body) {
        return signed("backlogged-key", "backlogged-secret-0123456789", HttpMethod.POST,
                "/v1/apps/backlogged/messages" + path, body).expectBody().returnResult();
    }

    @Test
    void sendsPastTheBacklogBoundGet503WithRetryAfterUntilDeliveryCatchesUp() {
        // Measured once the cell is known: the first send starts the measuring.
        for (int i = 0; i < 5; i++) {
            assertThat(send("", MESSAGE).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
        }
        EntityExchangeResult<byte[]> refused = await().atMost(Duration.ofSeconds(10))
                .until(() -> send("", MESSAGE), r -> r.getStatus() == HttpStatus.SERVICE_UNAVAILABLE);

        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(new String(refused.getResponseBodyContent()))
                .contains("\"code\":\"BACKLOG_FULL\"")
                .contains("Delivery in cell 'backlogged' is behind")
                .contains("Nothing was sent");
        long queued = redis.opsForStream().size(STREAM);
        // A batch that would cross the bound is refused whole, and nothing of it is queued.
        assertThat(send("/batch", "{\"messages\": [" + MESSAGE + "," + MESSAGE + "]}").getStatus())
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(redis.opsForStream().size(STREAM)).isEqualTo(queued);

        // The "dispatcher" catches up: sends are accepted again.
        redis.delete(STREAM);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> send("", MESSAGE).getStatus(), HttpStatus.ACCEPTED::equals);
    }

    @Test
    void theBacklogAndItsAgeAreGaugedPerCell() {
        // Accepted once the measurement after emptyIntake() is in: one message waits.
        await().atMost(Duration.ofSeconds(10)).until(() -> send("", MESSAGE).getStatus(), HttpStatus.ACCEPTED::equals);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = management().get().uri("/actuator/prometheus").exchange()
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
            assertThat(scrape).containsPattern("herald_api_intake_backlog\\{[^}]*target_cell=\"backlogged\"[^}]*} 1\\.0")
                    .containsPattern("herald_api_intake_backlog_age_seconds\\{[^}]*target_cell=\"backlogged\"");
        });
    }

    @Test
    void aCellThatIsBehindDoesNotHoldBackTheOthers() {
        // The demo app is in cell "default", which other test classes fill: start it empty.
        redis.delete(RedisKeys.intake("default"));
        for (int i = 0; i < 6; i++) {
            send("", MESSAGE);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> send("", MESSAGE).getStatus(), HttpStatus.SERVICE_UNAVAILABLE::equals);
        assertThat(asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("deviceId", "device-1", "text", "other cell")).exchange()
                .returnResult(String.class).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    }
}
