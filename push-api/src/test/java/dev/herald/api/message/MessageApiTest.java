package dev.herald.api.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.api.IntakeEntries;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.MessageStatus;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

class MessageApiTest extends ApiIntegrationTest {

    private static final String INTAKE = RedisKeys.intake("default");

    @Autowired
    JsonMapper json;

    @Test
    void unicastIsQueuedOnTheIntakeStreamAndReportedAsAccepted() {
        long before = System.currentTimeMillis();
        EntityExchangeResult<MessageAccepted> result = send("""
                {"deviceId": "device-1", "text": "héllo", "ttlSeconds": 60}""")
                .expectStatus().isAccepted()
                .expectBody(MessageAccepted.class).returnResult();
        MessageAccepted accepted = result.getResponseBody();

        assertThat(MessageId.isValid(accepted.id())).isTrue();
        assertThat(accepted.appId()).isEqualTo("demo");
        assertThat(accepted.status()).isEqualTo("/v1/apps/demo/messages/" + accepted.id());
        assertThat(result.getResponseHeaders().getLocation()).hasToString(accepted.status());
        assertThat(result.getResponseHeaders().getFirst(MessageController.IDEMPOTENT_REPLAYED)).isNull();

        IntakeMessage queued = intakeMessage(accepted.id());
        assertThat(queued.appId()).isEqualTo("demo");
        assertThat(queued.kind()).isEqualTo(TargetKind.DEVICE);
        assertThat(queued.devices()).containsExactly("device-1");
        assertThat(new String(queued.payload(), StandardCharsets.UTF_8)).isEqualTo("héllo");
        assertThat(queued.offline()).isTrue();
        assertThat(queued.createdAt()).isBetween(before, System.currentTimeMillis());
        assertThat(queued.expiresAt()).isEqualTo(queued.createdAt() + 60_000);

        asDemo().get().uri(accepted.status()).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.id").isEqualTo(accepted.id())
                .jsonPath("$.appId").isEqualTo("demo")
                .jsonPath("$.kind").isEqualTo("DEVICE")
                .jsonPath("$.offline").isEqualTo(true)
                .jsonPath("$.state").isEqualTo("accepted")
                .jsonPath("$.createdAt").isEqualTo(Instant.ofEpochMilli(queued.createdAt()).toString())
                .jsonPath("$.expiresAt").isEqualTo(Instant.ofEpochMilli(queued.expiresAt()).toString())
                .jsonPath("$.targets").isEqualTo(1)
                .jsonPath("$.delivered").isEqualTo(0)
                .jsonPath("$.stored").isEqualTo(0)
                .jsonPath("$.expired").isEqualTo(0)
                .jsonPath("$.dropped").isEqualTo(0);
    }

    @Test
    void statusHashIsKeptUntilADayAfterTheMessageExpires() {
        MessageAccepted accepted = accept("""
                {"deviceId": "device-1", "text": "hi", "ttlSeconds": 3600}""");
        String key = RedisKeys.status(accepted.id());
        Map<Object, Object> status = redis.opsForHash().entries(key);
        assertThat(status).containsEntry(MessageStatus.APP, "demo")
                .containsEntry(MessageStatus.KIND, "DEVICE")
                .containsEntry(MessageStatus.OFFLINE, "true")
                .containsEntry(MessageStatus.TARGETS, "1")
                .containsKeys(MessageStatus.CREATED_AT, MessageStatus.EXPIRES_AT)
                // State and counters appear when the services that move them first do (a missing state reads
                // accepted, a missing counter 0): on Redis
                // Cluster their writes may land before this one, which must not reset them.
                .doesNotContainKeys(MessageStatus.STATE, MessageStatus.DELIVERED, MessageStatus.STORED,
                        MessageStatus.EXPIRED, MessageStatus.DROPPED);
        long expiresAt = Long.parseLong((String) status.get(MessageStatus.EXPIRES_AT));
        long ttl = redis.getExpire(key, TimeUnit.MILLISECONDS);
        long expected = expiresAt + MessageStatus.RETENTION_AFTER_EXPIRY_MS - System.currentTimeMillis();
        assertThat(ttl).isBetween(expected - 5_000, expected + 1_000);
    }

    @Test
    void multicastRemovesDuplicateDeviceIds() {
        MessageAccepted accepted = accept("""
                {"deviceIds": ["a", "b", "a", "c", "b"], "base64": "AAEC", "offline": false}""");

        IntakeMessage queued = intakeMessage(accepted.id());
        assertThat(queued.kind()).isEqualTo(TargetKind.DEVICES);
        assertThat(queued.devices()).containsExactly("a", "b", "c");
        assertThat(queued.payload()).containsExactly(0, 1, 2);
        assertThat(queued.offline()).isFalse();
        asDemo().get().uri(accepted.status()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("DEVICES")
                .jsonPath("$.targets").isEqualTo(3)
                .jsonPath("$.offline").isEqualTo(false);
    }

    @Test
    void broadcastIsQueuedWithoutDevicesAndDefaultTtl() {
        MessageAccepted accepted = accept("""
                {"broadcast": true, "text": "to everyone"}""");

        IntakeMessage queued = intakeMessage(accepted.id());
        assertThat(queued.kind()).isEqualTo(TargetKind.BROADCAST);
        assertThat(queued.devices()).isEmpty();
        assertThat(queued.expiresAt() - queued.createdAt()).isEqualTo(24L * 3600 * 1000);
        asDemo().get().uri(accepted.status()).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.kind").isEqualTo("BROADCAST")
                .jsonPath("$.targets").isEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"deviceId\": \"device-1\", \"text\": \"\"}",
            "{\"deviceId\": \"device-1\"}",
            "{\"deviceId\": \"device-1\", \"base64\": \"\"}"})
    void emptyPayloadIsRejectedAndNothingIsQueued(String body) {
        long queuedBefore = intakeLength();
        send(body)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.code").isEqualTo("EMPTY_PAYLOAD")
                .jsonPath("$.type").isEqualTo("urn:herald:problem:empty-payload")
                .jsonPath("$.title").isEqualTo("Empty payload")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("payload is empty"))
                .jsonPath("$.instance").isEqualTo("/v1/apps/demo/messages")
                .jsonPath("$.errors[0].code").isEqualTo("EMPTY_PAYLOAD");
        assertThat(intakeLength()).isEqualTo(queuedBefore);
    }

    @Test
    void twoTargetKindsAreRejected() {
        send("""
                {"deviceId": "device-1", "broadcast": true, "text": "x"}""")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("more than one target"))
                .jsonPath("$.errors[0].field").isEqualTo("target");
    }

    @Test
    void missingTargetAndEmptyPayloadAreReportedTogether() {
        send("{}")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d)
                        .startsWith("2 problems").contains("no target").contains("payload is empty"))
                .jsonPath("$.errors.length()").isEqualTo(2);
    }

    @Test
    void invalidBase64IsRejected() {
        send("""
                {"deviceId": "device-1", "base64": "not base64!"}""")
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_PAYLOAD")
                .jsonPath("$.errors[0].field").isEqualTo("base64");
    }

    @Test
    void oversizePayloadIsRejectedWithTheLimit() {
        long queuedBefore = intakeLength();
        String base64 = Base64.getEncoder().encodeToString(new byte[101]);
        send("{\"deviceId\": \"device-1\", \"base64\": \"" + base64 + "\"}")
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE")
                .jsonPath("$.detail").isEqualTo("The payload is 101 bytes; the limit is 100 bytes.");
        // The limit counts UTF-8 bytes, not characters: 50 two-byte characters fit, 51 do not.
        accept("{\"deviceId\": \"device-1\", \"text\": \"" + "é".repeat(50) + "\"}");
        send("{\"deviceId\": \"device-1\", \"text\": \"" + "é".repeat(51) + "\"}")
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody().jsonPath("$.detail").isEqualTo("The payload is 102 bytes; the limit is 100 bytes.");
        assertThat(intakeLength()).isEqualTo(queuedBefore + 1);
    }

    @Test
    void invalidDeviceIdsAndTtlAreListedFieldByField() {
        send("""
                {"deviceIds": ["ok", "bad id", "{braces}"], "text": "x", "ttlSeconds": 0}""")
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("deviceIds[1]")
                .jsonPath("$.errors[1].field").isEqualTo("deviceIds[2]")
                .jsonPath("$.errors[2].field").isEqualTo("ttlSeconds")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).startsWith("3 problems"));
        send("""
                {"deviceIds": [], "text": "x"}""")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("deviceIds");
        send("""
                {"deviceId": "d", "text": "x", "ttlSeconds": 604801}""")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("604800"));
    }

    @Test
    void idempotencyKeyReplaysTheFirstMessageAndQueuesItOnce() {
        long queuedBefore = intakeLength();
        String body = """
                {"deviceId": "device-1", "text": "once"}""";
        EntityExchangeResult<MessageAccepted> first = asDemo().post().uri("/v1/apps/demo/messages")
                .header("Idempotency-Key", "order-1:shipped").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult();
        EntityExchangeResult<MessageAccepted> second = asDemo().post().uri("/v1/apps/demo/messages")
                .header("Idempotency-Key", "order-1:shipped").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult();

        assertThat(second.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(second.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(first.getResponseHeaders().getFirst("Idempotent-Replayed")).isNull();
        assertThat(second.getResponseHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
        assertThat(intakeLength()).isEqualTo(queuedBefore + 1);
        String id = first.getResponseBody().id();
        assertThat(redis.opsForValue().get(RedisKeys.idempotency("demo", "order-1:shipped"))).endsWith(" " + id);
        assertThat(redis.getExpire(RedisKeys.idempotency("demo", "order-1:shipped"))).isBetween(86_000L, 86_400L);
    }

    @Test
    void idempotencyKeyReusedWithADifferentBodyIsRefusedAndSendsNothing() {
        long queuedBefore = intakeLength();
        MessageAccepted first = sendWithKey("order-2:shipped", """
                {"deviceId": "device-1", "text": "your order shipped"}""")
                .expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult().getResponseBody();

        sendWithKey("order-2:shipped", """
                {"deviceId": "device-1", "text": "your order was cancelled"}""")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("IDEMPOTENCY_KEY_REUSED")
                .jsonPath("$.type").isEqualTo("urn:herald:problem:idempotency-key-reused")
                .jsonPath("$.status").isEqualTo(422)
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail)
                        .contains("'order-2:shipped'").contains("different request body"));
        sendWithKey("order-2:shipped", """
                {"deviceId": "device-2", "text": "your order shipped"}""").expectStatus().isEqualTo(422);
        sendWithKey("order-2:shipped", """
                {"deviceId": "device-1", "text": "your order shipped", "ttlSeconds": 60}""").expectStatus().isEqualTo(422);

        // The first body still gets the first answer.
        sendWithKey("order-2:shipped", """
                {"deviceId": "device-1", "text": "your order shipped"}""")
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(MessageAccepted.class).isEqualTo(first);
        assertThat(intakeLength()).isEqualTo(queuedBefore + 1);
    }

    @Test
    void aRetryOfTheSameMessageWrittenDifferentlyIsAReplay() {
        MessageAccepted first = sendWithKey("promo-9", """
                {"deviceIds": ["device-1", "device-2"], "base64": "AAEC", "offline": true}""")
                .expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult().getResponseBody();

        sendWithKey("promo-9", """
                {  "offline":true,"base64":"AAEC",
                   "deviceIds":["device-2","device-1"]  }""")
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(MessageAccepted.class).isEqualTo(first);
    }

    @Test
    void aKeyClaimedBeforeClaimsCarriedAFingerprintStillReplays() {
        String id = "01JDQ7N5W3X8M2K4R6T9V0YZAB";
        redis.opsForValue().set(RedisKeys.idempotency("demo", "from-before"), id);

        sendWithKey("from-before", """
                {"deviceId": "device-1", "text": "anything"}""")
                .expectStatus().isAccepted()
                .expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody().jsonPath("$.id").isEqualTo(id);
    }

    private WebTestClient.ResponseSpec sendWithKey(String key, String body) {
        return asDemo().post().uri("/v1/apps/demo/messages").header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    @Test
    void idempotencyKeysAreScopedToTheirApp() {
        String body = """
                {"deviceId": "device-1", "text": "same key, other app"}""";
        MessageAccepted demo = asDemo().post().uri("/v1/apps/demo/messages").header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult().getResponseBody();
        MessageAccepted other = asOther().post().uri("/v1/apps/other/messages").header("Idempotency-Key", "k1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isAccepted()
                .expectHeader().doesNotExist("Idempotent-Replayed")
                .expectBody(MessageAccepted.class).returnResult().getResponseBody();
        assertThat(other.id()).isNotEqualTo(demo.id());
    }

    @Test
    void malformedIdempotencyKeyIsRejected() {
        asDemo().post().uri("/v1/apps/demo/messages").header("Idempotency-Key", "has space")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"deviceId\": \"d\", \"text\": \"x\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"01JDQ7N5W3X8M2K4R6T9V0YZAB", "not-an-id", "0000000000000000000000000U"})
    void statusOfUnknownOrMalformedIdIsNotFound(String id) {
        asDemo().get().uri("/v1/apps/demo/messages/" + id).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
    }

    private WebTestClient.ResponseSpec send(String body) {
        return asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange();
    }

    private MessageAccepted accept(String body) {
        return send(body).expectStatus().isAccepted().expectBody(MessageAccepted.class).returnResult().getResponseBody();
    }

    /** Messages queued on the intake, whatever the entries that hold them. */
    private long intakeLength() {
        return IntakeEntries.messages(redis, json, INTAKE).size();
    }

    private IntakeMessage intakeMessage(String id) {
        return IntakeEntries.messages(redis, json, INTAKE).stream()
                .filter(message -> message.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("message " + id + " is not on " + INTAKE));
    }
}
