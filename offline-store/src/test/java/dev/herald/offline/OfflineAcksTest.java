package dev.herald.offline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.offline.OfflineApi.DeviceAck;
import dev.herald.core.offline.OfflineApi.StoreEntry;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * Acknowledgements against a real Redis, as access nodes record them: many devices per script call on one server
 * (more than one call's worth here), each device's pending entries gone, first acknowledgements counted once.
 */
class OfflineAcksTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static final String APP = "demo";

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisPipeline pipeline;
    private final OfflineLimits limits = OfflineLimits.of(100, 10);
    private final OfflineWrites writes = new OfflineWrites(limits, new MessageBodies(JsonMapper.builder().build()));
    private final OfflineAcks acks = new OfflineAcks(limits);

    @BeforeAll
    static void connect() {
        client = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        connection = client.connect();
        pipeline = new RedisPipeline(() -> client, OfflineAcks.SCRIPTS.toArray(dev.herald.core.redis.LuaScript[]::new));
    }

    @AfterAll
    static void close() {
        pipeline.close();
        connection.close();
        client.shutdown();
    }

    @Test
    void devicesOfSeveralScriptCallsLoseTheirPendingEntriesAndCountOnceEachEvenWhenTheyAckAgain() throws Exception {
        long now = System.currentTimeMillis();
        int devices = DeviceScriptCalls.DEVICES_PER_CALL + 7;
        String id = "m-" + UUID.randomUUID();
        String other = "o-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            ids.add("ack-" + i + "-" + UUID.randomUUID());
        }
        StoreEntry multicast = new StoreEntry(id, APP, false, ids, "x".getBytes(StandardCharsets.UTF_8), now + 60_000);
        StoreEntry second = new StoreEntry(other, APP, false, ids.subList(0, 1), "y".getBytes(StandardCharsets.UTF_8),
                now + 60_000);
        pipeline.submit(c -> writes.index(c, List.of(multicast, second), Map.of())).get(10, TimeUnit.SECONDS);
        assertThat(connection.sync().zcard(RedisKeys.pending(APP, ids.get(devices - 1)))).isEqualTo(1);

        List<DeviceAck> all = new ArrayList<>();
        for (String device : ids) {
            all.add(new DeviceAck(APP, device, List.of(id), device.equals(ids.get(3)) ? 42 : 0));
        }
        Map<String, Integer> first = pipeline.submit(c -> acks.acknowledge(c, all, now)).get(10, TimeUnit.SECONDS);
        Map<String, Integer> again = pipeline.submit(c -> acks.acknowledge(c, all, now + 1)).get(10, TimeUnit.SECONDS);

        assertThat(first).containsExactly(Map.entry(id, devices));
        assertThat(again).as("a re-sent ACK within the window does not count again").isEmpty();
        for (String device : ids) {
            assertThat(connection.sync().zscore(RedisKeys.pending(APP, device), id)).isNull();
        }
        assertThat(connection.sync().zscore(RedisKeys.pending(APP, ids.get(0)), other))
                .as("an id the device did not acknowledge stays pending").isNotNull();
        assertThat(connection.sync().get(RedisKeys.cursor(APP, ids.get(3)))).isEqualTo("42");
        assertThat(connection.sync().get(RedisKeys.cursor(APP, ids.get(4)))).as("a cursor of 0 writes nothing").isNull();

        // a store re-sent after the ACKs does not queue the message again for devices that have it
        Map<String, Integer> restored = pipeline.submit(c -> writes.index(c, List.of(multicast), Map.of()))
                .get(10, TimeUnit.SECONDS);
        assertThat(restored).isEmpty();
        assertThat(connection.sync().exists(RedisKeys.pending(APP, ids.get(5)))).isZero();
    }
}
