package dev.herald.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.offline.OfflineApi.OfflineMessage;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/** The offline store's writes against a real Redis, issued the way the dispatcher issues them: one pipelined round. */
class OfflineWritesTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String APP = "demo";
    private static final byte[] PAYLOAD = "hello".getBytes(StandardCharsets.UTF_8);

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisPipeline pipeline;
    private final MessageBodies bodies = new MessageBodies(JsonMapper.builder().build());
    private final OfflineWrites writes = new OfflineWrites(OfflineLimits.of(2, 3), bodies);

    @BeforeAll
    static void connect() {
        client = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        connection = client.connect();
        pipeline = new RedisPipeline(() -> client);
    }

    @AfterAll
    static void close() {
        pipeline.close();
        connection.close();
        client.shutdown();
    }

    private static RedisCommands<String, String> redis() {
        return connection.sync();
    }

    private Map<String, Integer> store(List<StoreEntry> entries, long now) throws Exception {
        List<StoreEntry> storable = OfflineWrites.storable(entries, now);
        Map<String, Long> seqs = pipeline.submit(c -> writes.broadcastSeqs(c, storable)).get(10, TimeUnit.SECONDS);
        return pipeline.submit(c -> {
            var written = writes.writeBodies(c, storable, seqs, now);
            return written.thenCombine(writes.index(c, storable, seqs), (w, counts) -> counts);
        }).get(10, TimeUnit.SECONDS);
    }

    private static StoreEntry unicast(String id, long expiresAt, String... devices) {
        return new StoreEntry(id, APP, false, List.of(devices), PAYLOAD, expiresAt);
    }

    @Test
    void aMulticastIsOneBodyAndOneEntryPerDeviceCountedOnceWhenStoredAgain() throws Exception {
        long now = System.currentTimeMillis();
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        String id = "m-" + UUID.randomUUID();
        StoreEntry entry = unicast(id, now + 60_000, a, b);

        assertThat(store(List.of(entry), now)).containsExactly(Map.entry(id, 2));
        assertThat(store(List.of(entry), now)).as("a retried batch adds nothing").isEmpty();

        assertThat(redis().zrange(RedisKeys.pending(APP, a), 0, -1)).containsExactly(id);
        assertThat(redis().zrange(RedisKeys.pending(APP, b), 0, -1)).containsExactly(id);
        OfflineMessage body = bodies.read(id, redis().get(RedisKeys.body(id))).orElseThrow();
        assertThat(body.payload()).isEqualTo(PAYLOAD);
        assertThat(redis().pttl(RedisKeys.body(id))).isBetween(1L, 60_000L);
        assertThat(redis().zscore(RedisKeys.pendingDue(APP, a), RedisKeys.pendingDueMember(APP, a)))
                .isEqualTo((double) (now + 60_000));
    }

    @Test
    void aDeviceKeepsOnlyTheEntriesThatExpireLastAndOnlyThoseCount() throws Exception {
        long now = System.currentTimeMillis();
        String device = "d-" + UUID.randomUUID();
        List<StoreEntry> three = List.of(unicast("late", now + 30_000, device), unicast("early", now + 10_000, device),
                unicast("latest", now + 50_000, device));

        Map<String, Integer> counts = store(three, now);

        assertThat(counts).containsOnlyKeys("late", "latest");
        assertThat(redis().zrange(RedisKeys.pending(APP, device), 0, -1)).containsExactly("late", "latest");
    }

    @Test
    void anExpiredEntryIsNotStoredAndARepeatedIdIsMerged() {
        long now = 1_000;
        List<StoreEntry> storable = OfflineWrites.storable(List.of(unicast("x", now, "d1"),
                unicast("m", now + 1, "d1"), unicast("m", now + 1, "d2", "d1")), now);

        assertThat(storable).singleElement().satisfies(e -> assertThat(e.devices()).containsExactly("d1", "d2"));
    }

    @Test
    void aBroadcastKeepsItsSeqWhenStoredAgainAndIsCountedOnce() throws Exception {
        long now = System.currentTimeMillis();
        String id = "b-" + UUID.randomUUID();
        StoreEntry broadcast = new StoreEntry(id, APP, true, List.of(), PAYLOAD, now + 60_000);

        assertThat(store(List.of(broadcast), now)).containsExactly(Map.entry(id, 1));
        Double seq = redis().zscore(RedisKeys.broadcastLog(APP), id);
        assertThat(store(List.of(broadcast), now)).isEmpty();

        assertThat(redis().zscore(RedisKeys.broadcastLog(APP), id)).isEqualTo(seq);
        assertThat(bodies.read(id, redis().get(RedisKeys.body(id))).orElseThrow().broadcastSeq())
                .isEqualTo(seq.longValue());
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> OfflineLimits.of(0, 1)).hasMessageContaining("max-pending-per-device");
        assertThatThrownBy(() -> OfflineLimits.of(1, 0)).hasMessageContaining("broadcast-log-size");
    }
}
