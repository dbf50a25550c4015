package dev.herald.saver.api;

import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.offline.OfflineApi;
import dev.herald.core.offline.OfflineApi.AckRequest;
import dev.herald.core.offline.OfflineApi.Backlog;
import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.offline.OfflineApi.DeviceCursor;
import dev.herald.core.offline.OfflineApi.FetchRequest;
import dev.herald.core.offline.OfflineApi.FetchResponse;
import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.offline.OfflineApi.StoreRequest;
import dev.herald.core.offline.OfflineApi.StoreResponse;
import dev.herald.core.offline.OfflineApi.Stored;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.offline.max-pending-per-device=3",
        "herald.saver.max-broadcast-replay=5",
        "herald.saver.max-batch-size=2500",
        // Mid-rotation: the clients of this test send the previous key, which is still accepted.
        "herald.internal.service-key=" + OfflineApiIntegrationTest.NEW_SERVICE_KEY,
        "herald.internal.previous-service-key=" + InternalApiProperties.DEFAULT_SERVICE_KEY})
@AutoConfigureWebTestClient
class OfflineApiIntegrationTest {

    static final String NEW_SERVICE_KEY = "rotated-service-key-0123456789";

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String APP = "demo";
    private static final long HOUR = Duration.ofHours(1).toMillis();

    WebTestClient web;
    /** Without the service key. */
    WebTestClient bare;

    /** The machine running the suite may be busy; a batch of thousands must not trip the 5 s default. */
    @Autowired
    void webTestClient(WebTestClient client) {
        this.bare = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        this.web = bare.mutate().defaultHeader(ServiceKey.HEADER, InternalApiProperties.DEFAULT_SERVICE_KEY).build();
    }

    @Autowired
    ReactiveStringRedisTemplate redis;

    @LocalManagementPort
    int managementPort;

    @BeforeEach
    void emptyRedis() {
        redis.execute(c -> c.serverCommands().flushAll()).blockLast();
    }

    @Test
    void multicastIsStoredOnceAndEveryDeviceFetchesIt() {
        String id = MessageId.generate().toString();
        StoreResponse response = store(unicast(id, inAnHour(), "d1", "d2", "d3"));

        assertThat(response.stored()).containsExactly(new Stored(id, 0));
        assertThat(bodyKeys()).isEqualTo(1);
        for (String device : List.of("d1", "d2", "d3")) {
            assertThat(redis.opsForZSet().size(RedisKeys.pending(APP, device)).block()).isEqualTo(1);
        }
        assertThat(status(id)).containsEntry("stored", "3");

        List<Backlog> backlogs = fetch(cursor("d1", 0), cursor("d2", 0), cursor("d3", 0)).backlogs();
        assertThat(backlogs).extracting(Backlog::deviceId).containsExactly("d1", "d2", "d3");
        for (Backlog backlog : backlogs) {
            assertThat(backlog.messages()).singleElement().satisfies(m -> {
                assertThat(m.messageId()).isEqualTo(id);
                assertThat(m.broadcast()).isFalse();
                assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("payload of " + id);
            });
        }
    }

    @Test
    void bodyIsStoredOnceForAMulticastToThousandsOfDevices() {
        String[] devices = IntStream.range(0, 2000).mapToObj(i -> "dev-" + i).toArray(String[]::new);
        String id = MessageId.generate().toString();
        store(unicast(id, inAnHour(), devices));

        assertThat(bodyKeys()).isEqualTo(1);
        assertThat(status(id)).containsEntry("stored", "2000");
        FetchResponse fetched = fetch(IntStream.range(0, 2000).mapToObj(i -> cursor("dev-" + i, 0))
                .toArray(DeviceCursor[]::new));
        assertThat(fetched.backlogs()).hasSize(2000)
                .allSatisfy(b -> assertThat(b.messages()).extracting(OfflineMessage::messageId).containsExactly(id));
    }

    @Test
    void backlogMergesUnicastsAndBroadcastsOldestFirst() {
        long t = System.currentTimeMillis();
        String u1 = idAt(t - 4000);
        String b1 = idAt(t - 3000);
        String u2 = idAt(t - 2000);
        String b2 = idAt(t - 1000);
        String u3 = idAt(t);
        store(unicast(u3, inAnHour(), "d1"), broadcast(b1, inAnHour()), unicast(u2, inAnHour(), "d1"),
                broadcast(b2, inAnHour()), unicast(u1, inAnHour(), "d1"));

        List<OfflineMessage> messages = fetch(cursor("d1", 0)).backlogs().get(0).messages();

        assertThat(messages).extracting(OfflineMessage::messageId).containsExactly(u1, b1, u2, b2, u3);
        assertThat(messages).extracting(OfflineMessage::broadcastSeq).containsExactly(0L, 1L, 0L, 2L, 0L);
    }

    @Test
    void theMessagesOfOneSendRequestAreCountedEachInTheirOwnStatus() {
        // Their statuses share a slot and are counted by one script per store and per ack.
        MessageId[] ids = MessageId.batch(3);
        store(unicast(ids[0].toString(), inAnHour(), "r1"), unicast(ids[1].toString(), inAnHour(), "r1", "r2"),
                unicast(ids[2].toString(), inAnHour(), "r2"));

        ack(new DeviceAck(APP, "r1", List.of(ids[0].toString(), ids[1].toString()), 0),
                new DeviceAck(APP, "r2", List.of(ids[1].toString()), 0));

        assertThat(status(ids[0].toString())).containsEntry("stored", "1").containsEntry("delivered", "1");
        assertThat(status(ids[1].toString())).containsEntry("stored", "2").containsEntry("delivered", "2");
        assertThat(status(ids[2].toString())).containsEntry("stored", "1").doesNotContainKey("delivered");
    }

    @Test
    void ackRemovesPendingAndCountsDeliveredOncePerDevice() {
        String id = MessageId.generate().toString();
        store(unicast(id, inAnHour(), "d1", "d2"));

        ack(new DeviceAck(APP, "d1", List.of(id), 0));
        ack(new DeviceAck(APP, "d1", List.of(id), 0));

        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages()).isEmpty();
        assertThat(fetch(cursor("d2", 0)).backlogs().get(0).messages()).hasSize(1);
        assertThat(status(id)).containsEntry("delivered", "1").containsEntry("stored", "2");

        // A dispatcher re-sending the batch after a crash neither re-queues nor re-counts it.
        store(unicast(id, inAnHour(), "d1", "d2"));
        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages()).isEmpty();
        assertThat(status(id)).containsEntry("stored", "2");
    }

    @Test
    void ackOfAMessageThatWasNeverPendingCountsDeliveredOnce() {
        String online = MessageId.generate().toString();

        ack(new DeviceAck(APP, "d1", List.of(online), 0));
        ack(new DeviceAck(APP, "d1", List.of(online), 0));
        ack(new DeviceAck(APP, "d2", List.of(online), 0));

        assertThat(status(online)).containsEntry("delivered", "2");
    }

    @Test
    void expiredPendingEntriesAreNotReturnedAndCountAsExpired() {
        String expiring = MessageId.generate().toString();
        String lasting = MessageId.generate().toString();
        store(unicast(expiring, System.currentTimeMillis() + 300, "d1"), unicast(lasting, inAnHour(), "d1"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages())
                        .extracting(OfflineMessage::messageId).containsExactly(lasting));

        assertThat(status(expiring)).containsEntry("expired", "1");
        assertThat(redis.opsForZSet().size(RedisKeys.pending(APP, "d1")).block()).isEqualTo(1);
    }

    @Test
    void alreadyExpiredEntriesAreSkipped() {
        String id = MessageId.generate().toString();

        StoreResponse response = store(unicast(id, System.currentTimeMillis() - 1, "d1"));

        assertThat(response.stored()).isEmpty();
        assertThat(bodyKeys()).isZero();
    }

    @Test
    void broadcastsReplayAfterTheServerSideCursor() {
        List<String> ids = List.of(MessageId.generate().toString(), MessageId.generate().toString(),
                MessageId.generate().toString());
        StoreResponse response = store(broadcast(ids.get(0), inAnHour()), broadcast(ids.get(1), inAnHour()),
                broadcast(ids.get(2), inAnHour()));
        assertThat(response.stored()).extracting(Stored::broadcastSeq).containsExactly(1L, 2L, 3L);

        List<OfflineMessage> all = fetch(cursor("d1", 0)).backlogs().get(0).messages();
        assertThat(all).extracting(OfflineMessage::broadcastSeq).containsExactly(1L, 2L, 3L);
        assertThat(all).allMatch(OfflineMessage::broadcast);

        ack(new DeviceAck(APP, "d1", List.of(), 2));

        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages())
                .extracting(OfflineMessage::messageId).containsExactly(ids.get(2));
        assertThat(fetch(cursor("d2", 0)).backlogs().get(0).messages()).hasSize(3);
        assertThat(fetch(cursor("d2", 1)).backlogs().get(0).messages()).hasSize(2);
        // A cursor never moves back.
        ack(new DeviceAck(APP, "d1", List.of(), 1));
        assertThat(redis.opsForValue().get(RedisKeys.cursor(APP, "d1")).block()).isEqualTo("2");
    }

    @Test
    void reStoringABroadcastKeepsItsSeqAndCountsItOnce() {
        String first = MessageId.generate().toString();
        String second = MessageId.generate().toString();
        store(broadcast(first, inAnHour()));

        StoreResponse again = store(broadcast(first, inAnHour()), broadcast(second, inAnHour()));

        assertThat(again.stored()).containsExactly(new Stored(first, 1), new Stored(second, 2));
        assertThat(status(first)).containsEntry("stored", "1");
        assertThat(bodyKeys()).isEqualTo(2);
    }

    @Test
    void aLongAbsentDeviceGetsTheNewestBroadcasts() {
        StoreEntry[] broadcasts = IntStream.range(0, 7)
                .mapToObj(i -> broadcast(MessageId.generate().toString(), inAnHour()))
                .toArray(StoreEntry[]::new);
        store(broadcasts);

        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages())
                .extracting(OfflineMessage::broadcastSeq).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(fetch(cursor("d1", 5)).backlogs().get(0).messages())
                .extracting(OfflineMessage::broadcastSeq).containsExactly(6L, 7L);
    }

    @Test
    void pendingSetKeepsTheLongestLivedEntriesAndOutlivesTheLastForTheExpirySweep() {
        long now = System.currentTimeMillis();
        String a = MessageId.generate().toString();
        String b = MessageId.generate().toString();
        String c = MessageId.generate().toString();
        String d = MessageId.generate().toString();
        store(unicast(a, now + 2 * HOUR, "d1"), unicast(b, now + 3 * HOUR, "d1"));
        store(unicast(c, now + HOUR / 2, "d1"), unicast(d, now + HOUR, "d1"));

        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages())
                .extracting(OfflineMessage::messageId).containsExactlyInAnyOrder(a, b, d);
        // The last entry's 3 hours, and the status's retention after it, so the expiry sweep still finds it.
        assertThat(redis.getExpire(RedisKeys.pending(APP, "d1")).block())
                .isGreaterThan(Duration.ofHours(3 + 24).minusMinutes(10));
        assertThat(status(c)).doesNotContainKey("stored");
    }

    @Test
    void malformedJsonIsAProblemDocument() {
        web.post().uri(OfflineApi.STORE_PATH).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"entries\": [")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.code").isEqualTo("MALFORMED_REQUEST")
                .jsonPath("$.trace").doesNotExist();
    }

    @Test
    void missingFieldsAreAProblemDocument() {
        web.post().uri(OfflineApi.FETCH_PATH).contentType(MediaType.APPLICATION_JSON).bodyValue("{}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_REQUEST");

        web.post().uri(OfflineApi.STORE_PATH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"entries\":[{\"messageId\":\"" + MessageId.generate() + "\",\"appId\":\"demo\"}]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400);
        assertThat(bodyKeys()).isZero();
    }

    @Test
    void invalidIdsAreAProblemDocumentListingEachOne() {
        web.post().uri(OfflineApi.STORE_PATH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"entries\":[{\"messageId\":\"nope\",\"appId\":\"demo\",\"broadcast\":false,"
                        + "\"devices\":[\"d1\",\"bad device\"],\"payload\":\"aGk=\","
                        + "\"expiresAt\":" + inAnHour() + "}]}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.type").isEqualTo("urn:herald:problem:invalid-request")
                .jsonPath("$.errors.length()").isEqualTo(2);
        assertThat(bodyKeys()).isZero();
    }

    @Test
    void aCallWithoutTheServiceKeyIsRefusedAndStoresNothing() {
        String id = MessageId.generate().toString();
        bare.post().uri(OfflineApi.STORE_PATH).bodyValue(new StoreRequest(List.of(unicast(id, inAnHour(), "d1"))))
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.code").isEqualTo("SERVICE_KEY_REQUIRED");
        bare.post().uri(OfflineApi.FETCH_PATH).header(ServiceKey.HEADER, "not-the-service-key-at-all")
                .bodyValue(new FetchRequest(List.of(cursor("d1", 0))))
                .exchange()
                .expectStatus().isUnauthorized();
        assertThat(bodyKeys()).isZero();
        assertThat(status(id)).isEmpty();
    }

    @Test
    void theCurrentAndThePreviousServiceKeyAreBothAccepted() {
        String id = MessageId.generate().toString();
        bare.post().uri(OfflineApi.STORE_PATH).header(ServiceKey.HEADER, NEW_SERVICE_KEY)
                .bodyValue(new StoreRequest(List.of(unicast(id, inAnHour(), "d1"))))
                .exchange()
                .expectStatus().isOk();
        // web sends the previous key
        assertThat(fetch(cursor("d1", 0)).backlogs().get(0).messages())
                .extracting(OfflineMessage::messageId).containsExactly(id);
    }

    @Test
    void oversizedBatchIsRefused() {
        DeviceCursor[] devices = IntStream.range(0, 2501).mapToObj(i -> cursor("dev-" + i, 0))
                .toArray(DeviceCursor[]::new);

        web.post().uri(OfflineApi.FETCH_PATH).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new FetchRequest(List.of(devices)))
                .exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("REQUEST_TOO_LARGE");
    }

    @Test
    void healthIncludesRedisOnTheManagementPortOnly() {
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound().expectBody().returnResult();
        WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    private StoreResponse store(StoreEntry... entries) {
        return web.post().uri(OfflineApi.STORE_PATH).bodyValue(new StoreRequest(List.of(entries)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(StoreResponse.class).returnResult().getResponseBody();
    }

    private FetchResponse fetch(DeviceCursor... devices) {
        return web.post().uri(OfflineApi.FETCH_PATH).bodyValue(new FetchRequest(List.of(devices)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(FetchResponse.class).returnResult().getResponseBody();
    }

    private void ack(DeviceAck... acks) {
        web.post().uri(OfflineApi.ACK_PATH).bodyValue(new AckRequest(List.of(acks)))
                .exchange()
                .expectStatus().isNoContent();
    }

    private Map<Object, Object> status(String id) {
        return redis.opsForHash().entries(RedisKeys.status(id)).collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .block();
    }

    private long bodyKeys() {
        return redis.keys("h:body:*").count().block();
    }

    private static StoreEntry unicast(String id, long expiresAt, String... devices) {
        return new StoreEntry(id, APP, false, List.of(devices), ("payload of " + id).getBytes(StandardCharsets.UTF_8),
                expiresAt);
    }

    private static StoreEntry broadcast(String id, long expiresAt) {
        return new StoreEntry(id, APP, true, List.of(), ("payload of " + id).getBytes(StandardCharsets.UTF_8),
                expiresAt);
    }

    private static DeviceCursor cursor(String device, long cursor) {
        return new DeviceCursor(APP, device, cursor);
    }

    private static long inAnHour() {
        return System.currentTimeMillis() + HOUR;
    }

    /** An id created at the given millisecond, so tests control the creation order. */
    private static String idAt(long epochMillis) {
        return new MessageId(epochMillis << 16, epochMillis).toString();
    }
}
