package dev.herald.saver.store;

import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.offline.OfflineApi;
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
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** Pending entries of devices that never come back are counted as expired, once, within the sweep's bound. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.saver.expiry-sweep-interval=500ms"})
@AutoConfigureWebTestClient
class ExpirySweepTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String APP = "demo";
    private static final Duration INTERVAL = Duration.ofMillis(500);
    /** The documented bound (about one interval) plus room for a busy test machine. */
    private static final Duration BOUND = INTERVAL.plusSeconds(2);
    private static final long HOUR = Duration.ofHours(1).toMillis();

    WebTestClient web;
    /** Without the service key. */
    WebTestClient bare;

    @Autowired
    void webTestClient(WebTestClient client) {
        this.bare = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        this.web = bare.mutate().defaultHeader(ServiceKey.HEADER, InternalApiProperties.DEFAULT_SERVICE_KEY).build();
    }

    @Autowired
    ReactiveStringRedisTemplate redis;

    @Autowired
    ExpirySweep sweep;

    /**
     * The first store of a fresh context takes a second or more (connections, codecs, scripts, JIT): longer than
     * the short expiries below, so the saver would skip their entries as already expired and no sweep could
     * ever count them. One store beforehand takes that cost.
     */
    @BeforeEach
    void warmUpAndEmptyRedis() {
        store(unicast(MessageId.generate().toString(), System.currentTimeMillis() + HOUR, "warm-up"));
        redis.execute(c -> c.serverCommands().flushAll()).blockLast();
    }

    @Test
    void anExpiredEntryOfADeviceThatNeverReturnsIsCountedWithinTheBound() {
        String id = MessageId.generate().toString();
        long expiresAt = System.currentTimeMillis() + 300;
        store(unicast(id, expiresAt, "gone"));
        assertThat(expired(id)).isZero();

        await().atMost(Duration.ofMillis(expiresAt - System.currentTimeMillis()).plus(BOUND))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> expired(id) == 1);

        assertThat(redis.hasKey(RedisKeys.pending(APP, "gone")).block()).as("the emptied pending set is gone").isFalse();
        assertThat(redis.opsForZSet().score(RedisKeys.pendingDue(APP, "gone"), RedisKeys.pendingDueMember(APP, "gone"))
                .blockOptional()).as("the device left the expiry index").isEmpty();
    }

    @Test
    void aDeviceThatReturnsAfterTheSweepDoesNotCountItAgain() {
        String id = MessageId.generate().toString();
        store(unicast(id, System.currentTimeMillis() + 200, "late"));
        await().atMost(Duration.ofSeconds(5)).until(() -> expired(id) == 1);

        assertThat(fetch(cursor("late")).backlogs().get(0).messages()).isEmpty();
        assertThat(sweep.sweep().block()).isZero();

        assertThat(expired(id)).isEqualTo(1);
    }

    @Test
    void aDeviceStaysIndexedAtItsNextExpiryAndGetsTheRest() {
        String shortLived = MessageId.generate().toString();
        String lasting = MessageId.generate().toString();
        long lastingExpiry = System.currentTimeMillis() + HOUR;
        store(unicast(shortLived, System.currentTimeMillis() + 200, "d1"), unicast(lasting, lastingExpiry, "d1"));

        await().atMost(Duration.ofMillis(200).plus(BOUND).plusSeconds(5)).until(() -> expired(shortLived) == 1);

        assertThat(redis.opsForZSet().score(RedisKeys.pendingDue(APP, "d1"), RedisKeys.pendingDueMember(APP, "d1"))
                .block()).isEqualTo((double) lastingExpiry);
        assertThat(fetch(cursor("d1")).backlogs().get(0).messages())
                .extracting(OfflineMessage::messageId).containsExactly(lasting);
        assertThat(expired(shortLived)).isEqualTo(1);
        assertThat(expired(lasting)).isZero();
    }

    @Test
    void everyDeviceOfAMulticastIsCountedOnceWhileTheyComeBackDuringTheSweep() {
        String id = MessageId.generate().toString();
        String[] devices = IntStream.range(0, 300).mapToObj(i -> "m-" + i).toArray(String[]::new);
        long expiresAt = System.currentTimeMillis() + 300;
        store(unicast(id, expiresAt, devices));
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiresAt + 10);

        // Two sweeps and every device's backlog read race for the same expired entries: each is removed, and
        // counted, by exactly one of them.
        Mono.zip(sweep.sweep(), sweep.sweep(),
                Mono.fromCallable(() -> fetch(IntStream.range(0, 300).mapToObj(i -> cursor("m-" + i))
                        .toArray(DeviceCursor[]::new)))).block(Duration.ofSeconds(30));
        await().atMost(BOUND).until(() -> expired(id) == 300);
        assertThat(sweep.sweep().block()).isZero();
        assertThat(expired(id)).isEqualTo(300);
    }

    @Test
    void anEntryStoredForADeviceAlreadyInTheIndexKeepsTheEarlierDueTime() {
        long now = System.currentTimeMillis();
        store(unicast(MessageId.generate().toString(), now + HOUR, "d2"));
        String earlier = MessageId.generate().toString();
        // Due well after the assertion below even on a loaded machine: a sweep that came first would move it on.
        store(unicast(earlier, now + 5_000, "d2"));
        store(unicast(MessageId.generate().toString(), now + 2 * HOUR, "d2"));

        assertThat(redis.opsForZSet().score(RedisKeys.pendingDue(APP, "d2"), RedisKeys.pendingDueMember(APP, "d2"))
                .block()).isEqualTo((double) (now + 5_000));
        await().atMost(Duration.ofMillis(5_000).plus(BOUND)).until(() -> expired(earlier) == 1);
    }

    /** Stores the entries and checks that each was still live when the saver got it: only those become pending. */
    private void store(StoreEntry... entries) {
        StoreResponse response = web.post().uri(OfflineApi.STORE_PATH).bodyValue(new StoreRequest(List.of(entries)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(StoreResponse.class).returnResult().getResponseBody();
        assertThat(response.stored()).extracting(Stored::messageId)
                .as("entries stored before they expired (the saver skips expired ones)")
                .containsExactlyElementsOf(Arrays.stream(entries).map(StoreEntry::messageId).toList());
    }

    private FetchResponse fetch(DeviceCursor... devices) {
        return web.post().uri(OfflineApi.FETCH_PATH).bodyValue(new FetchRequest(List.of(devices)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(FetchResponse.class).returnResult().getResponseBody();
    }

    private long expired(String id) {
        Object value = redis.opsForHash().get(RedisKeys.status(id), "expired").block();
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    private static StoreEntry unicast(String id, long expiresAt, String... devices) {
        return new StoreEntry(id, APP, false, List.of(devices), "p".getBytes(StandardCharsets.UTF_8), expiresAt);
    }

    private static DeviceCursor cursor(String device) {
        return new DeviceCursor(APP, device, 0);
    }
}
