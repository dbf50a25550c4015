package dev.herald.api.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.api.IntakeEntries;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.json.JsonMapper;

class BatchApiTest extends ApiIntegrationTest {

    private static final String INTAKE = RedisKeys.intake("default");
    private static final String BATCH = "/v1/apps/demo/messages/batch";

    @Autowired
    JsonMapper json;

    @Test
    void everyMessageOfABatchIsQueuedInOrderWithItsOwnStatus() {
        String body = """
                {"messages": [
                  {"deviceId": "device-1", "text": "first", "ttlSeconds": 60},
                  {"deviceIds": ["device-2", "device-3"], "base64": "AAEC", "offline": false},
                  {"broadcast": true, "text": "third"}
                ]}""";
        BatchAccepted accepted = asDemo().post().uri(BATCH).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectBody(BatchAccepted.class).returnResult().getResponseBody();

        assertThat(accepted.messages()).hasSize(3);
        assertThat(accepted.messages()).allSatisfy(message -> {
            assertThat(message.appId()).isEqualTo("demo");
            assertThat(message.status()).isEqualTo("/v1/apps/demo/messages/" + message.id());
        });
        Map<String, IntakeMessage> queued = intakeMessages();
        IntakeMessage first = queued.get(accepted.messages().get(0).id());
        IntakeMessage second = queued.get(accepted.messages().get(1).id());
        IntakeMessage third = queued.get(accepted.messages().get(2).id());
        assertThat(new String(first.payload(), StandardCharsets.UTF_8)).isEqualTo("first");
        assertThat(first.expiresAt() - first.createdAt()).isEqualTo(60_000);
        assertThat(second.devices()).containsExactly("device-2", "device-3");
        assertThat(second.offline()).isFalse();
        assertThat(new String(third.payload(), StandardCharsets.UTF_8)).isEqualTo("third");
        List<String> streamOrder = IntakeEntries.messages(redis, json, INTAKE).stream()
                .map(IntakeMessage::id)
                .filter(id -> accepted.messages().stream().anyMatch(m -> m.id().equals(id)))
                .toList();
        assertThat(streamOrder).containsExactlyElementsOf(accepted.messages().stream().map(MessageAccepted::id).toList());
        assertThat(redis.opsForHash().entries(RedisKeys.status(second.id())))
                .containsEntry(MessageStatus.TARGETS, "2")
                // No state until a dispatcher writes one: a missing state reads as accepted.
                .doesNotContainKey(MessageStatus.STATE);
    }

    @Test
    void aBatchWithFaultyMessagesIsRefusedWholeNamingEachByIndex() {
        long before = intakeLength();
        String body = """
                {"messages": [
                  {"deviceId": "device-1", "text": "fine"},
                  {"deviceId": "bad id!", "text": "x"},
                  {"deviceId": "device-2"}
                ]}""";
        asDemo().post().uri(BATCH).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.errors[0].field").isEqualTo("messages[1].deviceId")
                .jsonPath("$.errors[1].field").isEqualTo("messages[2].payload")
                .jsonPath("$.errors[1].code").isEqualTo("EMPTY_PAYLOAD");
        assertThat(intakeLength()).isEqualTo(before);
    }

    @Test
    void anEmptyOrTooLongBatchIsRefused() {
        asDemo().post().uri(BATCH).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"messages\": []}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("messages");
        String tooMany = IntStream.range(0, 501).mapToObj(i -> "{\"deviceId\": \"d" + i + "\", \"text\": \"x\"}")
                .collect(Collectors.joining(",", "{\"messages\": [", "]}"));
        asDemo().post().uri(BATCH).contentType(MediaType.APPLICATION_JSON).bodyValue(tooMany)
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(detail ->
                        assertThat((String) detail).contains("501 entries").contains("at most 500"));
    }

    @Test
    void anIdempotencyKeyReplaysTheWholeBatchAndQueuesItOnce() {
        long before = intakeLength();
        String body = """
                {"messages": [{"deviceId": "device-1", "text": "a"}, {"deviceId": "device-2", "text": "b"}]}""";
        EntityExchangeResult<BatchAccepted> first = asDemo().post().uri(BATCH).header("Idempotency-Key", "campaign-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(BatchAccepted.class).returnResult();
        EntityExchangeResult<BatchAccepted> second = asDemo().post().uri(BATCH).header("Idempotency-Key", "campaign-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(BatchAccepted.class).returnResult();

        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(first.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(second.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(intakeLength()).isEqualTo(before + 2);
        // A single send's key of the same name is another key: it does not answer with the batch.
        asDemo().post().uri("/v1/apps/demo/messages").header("Idempotency-Key", "campaign-1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"deviceId\": \"device-1\", \"text\": \"c\"}")
                .exchange().expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody(MessageAccepted.class);
        assertThat(intakeLength()).isEqualTo(before + 3);
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBatchIsRefusedAndSendsNothing() {
        String body = """
                {"messages": [{"deviceId": "device-1", "text": "a"}, {"deviceId": "device-2", "text": "b"}]}""";
        BatchAccepted first = asDemo().post().uri(BATCH).header("Idempotency-Key", "campaign-2")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(BatchAccepted.class).returnResult().getResponseBody();
        long before = intakeLength();

        // The same messages in another order are another batch: the answer's ids follow the request's order.
        asDemo().post().uri(BATCH).header("Idempotency-Key", "campaign-2").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"messages": [{"deviceId": "device-2", "text": "b"}, {"deviceId": "device-1", "text": "a"}]}""")
                .exchange().expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("'campaign-2'").contains("different request body"));
        asDemo().post().uri(BATCH).header("Idempotency-Key", "campaign-2").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(BatchAccepted.class).isEqualTo(first);
        assertThat(intakeLength()).isEqualTo(before);
    }

    @Test
    void aBatchNeedsTheAppsCredentials() {
        web.post().uri(BATCH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"messages\": [{\"deviceId\": \"device-1\", \"text\": \"a\"}]}")
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(401);
        asOther().post().uri(BATCH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"messages\": [{\"deviceId\": \"device-1\", \"text\": \"a\"}]}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.status").isEqualTo(403);
    }

    /** Messages queued on the intake, whatever the entries that hold them. */
    private long intakeLength() {
        return IntakeEntries.messages(redis, json, INTAKE).size();
    }

    private Map<String, IntakeMessage> intakeMessages() {
        return IntakeEntries.messages(redis, json, INTAKE).stream()
                .collect(Collectors.toMap(IntakeMessage::id, Function.identity(), (a, b) -> a));
    }
}
