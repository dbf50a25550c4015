package dev.herald.api.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

class DeadLetterApiTest extends ApiIntegrationTest {

    private static final String DEMO_DLQ = RedisKeys.uplinkDeadLetters("demo");
    private static final String UPLINK = RedisKeys.uplink("default");

    @Autowired
    JsonMapper json;

    @Test
    void listShowsTheNewestFirstUpToTheLimitWithEveryField() {
        UplinkDeadLetter older = letter("demo", "older");
        UplinkDeadLetter middle = letter("demo", "middle");
        UplinkDeadLetter newest = letter("demo", "newest");
        deadLetter(older);
        String middleId = deadLetter(middle);
        String newestId = deadLetter(newest);

        List<DeadLetterView> page = asDemo().get().uri("/v1/apps/demo/uplink/dead-letters?limit=2").exchange()
                .expectStatus().isOk()
                .expectBodyList(DeadLetterView.class).returnResult().getResponseBody();

        assertThat(page).extracting(DeadLetterView::id).containsExactly(newestId, middleId);
        assertThat(page.get(0)).isEqualTo(new DeadLetterView(newestId, newest.message().id(), "demo", "device-1",
                Base64.getEncoder().encodeToString("newest".getBytes(StandardCharsets.UTF_8)),
                Instant.ofEpochMilli(newest.message().receivedAt()).toString(), 8, "HTTP 503",
                Instant.ofEpochMilli(newest.deadLetteredAt()).toString()));
    }

    @Test
    void oneDeadLetterCanBeReadByItsId() {
        UplinkDeadLetter letter = letter("demo", "one");
        String id = deadLetter(letter);

        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.messageId").isEqualTo(letter.message().id())
                .jsonPath("$.lastError").isEqualTo("HTTP 503");
    }

    @Test
    void aDeadLetterIsNamedByItsUplinksMessageId() {
        UplinkDeadLetter letter = letter("demo", "by message id");
        String entryId = deadLetter(letter);
        String messageId = letter.message().id();

        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", messageId).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(entryId)
                .jsonPath("$.messageId").isEqualTo(messageId);
        // Crockford base32 is read case-insensitively, as everywhere else.
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", messageId.toLowerCase(java.util.Locale.ROOT))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(entryId);
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", MessageId.generate().toString()).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        asOther().get().uri("/v1/apps/other/uplink/dead-letters/{id}", messageId).exchange().expectStatus().isNotFound();
    }

    @Test
    void replayAndDeleteTakeTheMessageId() {
        UplinkDeadLetter replayed = letter("demo", "replay me by message id");
        String replayedEntry = deadLetter(replayed);
        UplinkDeadLetter deleted = letter("demo", "delete me by message id");
        String deletedEntry = deadLetter(deleted);

        asDemo().post().uri("/v1/apps/demo/uplink/dead-letters/{id}/replay", replayed.message().id()).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.messageId").isEqualTo(replayed.message().id());
        assertThat(redis.opsForStream().range(UPLINK, Range.unbounded()).stream()
                .map(r -> json.readValue(r.getValue().get(RedisKeys.STREAM_FIELD).toString(), UplinkMessage.class))
                .filter(m -> m.id().equals(replayed.message().id()))).containsExactly(replayed.message());
        assertThat(redis.opsForStream().range(DEMO_DLQ, Range.closed(replayedEntry, replayedEntry))).isEmpty();

        asDemo().delete().uri("/v1/apps/demo/uplink/dead-letters/{id}", deleted.message().id()).exchange()
                .expectStatus().isNoContent();
        assertThat(redis.opsForStream().range(DEMO_DLQ, Range.closed(deletedEntry, deletedEntry))).isEmpty();
        asDemo().delete().uri("/v1/apps/demo/uplink/dead-letters/{id}", deleted.message().id()).exchange()
                .expectStatus().isNotFound();
        asDemo().post().uri("/v1/apps/demo/uplink/dead-letters/{id}/replay", replayed.message().id()).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void aMessageIdIsFoundPastManyDeadLettersOfItsTime() {
        UplinkDeadLetter wanted = letter("demo", "needle");
        String wantedEntry = deadLetter(wanted);
        // More dead letters of the same minutes than one page: the look-up for the last one pages past them.
        for (int i = 0; i < DeadLetters.PAGE + 50; i++) {
            deadLetter(letter("demo", "hay " + i));
        }
        UplinkDeadLetter last = letter("demo", "last");
        String lastEntry = deadLetter(last);

        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", wanted.message().id()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(wantedEntry);
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", last.message().id()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(lastEntry);
    }

    @Test
    void theOpenApiDocumentSaysWhichIdNamesADeadLetter() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/v1/apps/{appId}/uplink/dead-letters/{id}'].get.parameters[?(@.name == 'id')].description")
                .value(descriptions -> assertThat(descriptions.toString()).contains("messageId").contains("UPLINK_ACK"));
    }

    @Test
    void replayAppendsTheUplinkToItsCellStreamAndRemovesTheDeadLetter() {
        UplinkDeadLetter letter = letter("demo", "again please");
        String id = deadLetter(letter);

        asDemo().post().uri("/v1/apps/demo/uplink/dead-letters/{id}/replay", id).exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.messageId").isEqualTo(letter.message().id());

        List<UplinkMessage> queued = redis.opsForStream().range(UPLINK, Range.unbounded()).stream()
                .map(r -> json.readValue(r.getValue().get(RedisKeys.STREAM_FIELD).toString(), UplinkMessage.class))
                .filter(m -> m.id().equals(letter.message().id()))
                .toList();
        assertThat(queued).containsExactly(letter.message());
        assertThat(redis.opsForStream().range(DEMO_DLQ, Range.closed(id, id))).isEmpty();
        asDemo().post().uri("/v1/apps/demo/uplink/dead-letters/{id}/replay", id).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
    }

    @Test
    void deleteRemovesTheDeadLetterOnceThenAnswersNotFound() {
        String id = deadLetter(letter("demo", "bin me"));

        asDemo().delete().uri("/v1/apps/demo/uplink/dead-letters/{id}", id).exchange().expectStatus().isNoContent();
        asDemo().delete().uri("/v1/apps/demo/uplink/dead-letters/{id}", id).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/{id}", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void anotherAppsDeadLettersAreInvisible() {
        String id = deadLetter(letter("demo", "private"));

        asOther().get().uri("/v1/apps/other/uplink/dead-letters/{id}", id).exchange().expectStatus().isNotFound();
        asOther().post().uri("/v1/apps/other/uplink/dead-letters/{id}/replay", id).exchange().expectStatus().isNotFound();
        asOther().delete().uri("/v1/apps/other/uplink/dead-letters/{id}", id).exchange().expectStatus().isNotFound();
        assertThat(asOther().get().uri("/v1/apps/other/uplink/dead-letters").exchange()
                .expectStatus().isOk()
                .expectBodyList(DeadLetterView.class).returnResult().getResponseBody())
                .extracting(DeadLetterView::id).doesNotContain(id);
        asOther().get().uri("/v1/apps/demo/uplink/dead-letters").exchange().expectStatus().isForbidden();
        assertThat(redis.opsForStream().range(DEMO_DLQ, Range.closed(id, id))).hasSize(1);
    }

    @Test
    void malformedIdsAndLimitsAreRejected() {
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters/not-an-id").exchange().expectStatus().isNotFound();
        asDemo().post().uri("/v1/apps/demo/uplink/dead-letters/0-0x/replay").exchange().expectStatus().isNotFound();
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters?limit=0").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        asDemo().get().uri("/v1/apps/demo/uplink/dead-letters?limit=1001").exchange().expectStatus().isBadRequest();
        web.get().uri("/v1/apps/demo/uplink/dead-letters").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void endpointsAreInTheOpenApiDocument() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.paths['/v1/apps/{appId}/uplink/dead-letters'].get.operationId").isEqualTo("listUplinkDeadLetters")
                .jsonPath("$.paths['/v1/apps/{appId}/uplink/dead-letters/{id}/replay'].post.operationId")
                .isEqualTo("replayUplinkDeadLetter")
                .jsonPath("$.paths['/v1/apps/{appId}/uplink/dead-letters/{id}'].delete.operationId")
                .isEqualTo("deleteUplinkDeadLetter");
    }

    private static UplinkDeadLetter letter(String appId, String text) {
        long now = System.currentTimeMillis();
        UplinkMessage message = new UplinkMessage(MessageId.generate().toString(), appId, "device-1",
                text.getBytes(StandardCharsets.UTF_8), now - 60_000, "access-1");
        return new UplinkDeadLetter(message, 8, "HTTP 503", now);
    }

    /** Writes a dead letter as the dispatcher does; returns its id. */
    private String deadLetter(UplinkDeadLetter letter) {
        MapRecord<String, String, String> record = StreamRecords.newRecord()
                .in(RedisKeys.uplinkDeadLetters(letter.message().appId()))
                .ofMap(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(letter)));
        return redis.opsForStream().add(record).getValue();
    }
}
