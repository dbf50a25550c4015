package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import dev.herald.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliverySemanticsTest} on Redis Cluster: unicast, multicast, broadcast, offline compensation on the
 * same and another node, TTL, idempotency. Plus proof that it is a cluster: devices whose keys live on each
 * of the three masters all get their pushes, and each master holds exactly its device's route.
 */
@OnRedisCluster
class DeliverySemanticsOnRedisClusterTest extends DeliverySemanticsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @Test
    void devicesWhoseKeysLiveOnEachOfTheThreeMastersAllReceiveAMulticastAndItsBacklog() {
        HeraldSuite suite = HeraldSuite.get();
        assertThat(suite.onCluster()).isTrue();
        PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        List<RedisServer> masters = suite.redisCluster.masters();
        List<RedisClient> clients = masters.stream().map(m -> RedisClient.create(m.url())).toList();
        List<Device> devices = new ArrayList<>();
        try {
            List<StatefulRedisConnection<String, String>> direct = clients.stream().map(RedisClient::connect).toList();
            // One device per master: a master answers EXISTS for keys of its own slots and MOVED for the others'.
            List<String> ids = new ArrayList<>();
            for (StatefulRedisConnection<String, String> master : direct) {
                String id;
                do {
                    id = "dev-" + UUID.randomUUID();
                } while (!owns(master, RedisKeys.route(HeraldSuite.APP, id)));
                ids.add(id);
            }
            Device first = new Device(ids.get(0), api.token(ids.get(0))).connect(suite.access1Port);
            Device second = new Device(ids.get(1), api.token(ids.get(1))).connect(suite.access2Port);
            Device offline = new Device(ids.get(2), api.token(ids.get(2)));
            devices.addAll(List.of(first, second, offline));
            for (int i = 0; i < 2; i++) {
                String route = RedisKeys.route(HeraldSuite.APP, ids.get(i));
                StatefulRedisConnection<String, String> owner = direct.get(i);
                await().atMost(DELIVERY).until(() -> owner.sync().exists(route) == 1);
            }

            String id = api.accepted("{\"deviceIds\":[\"" + String.join("\",\"", ids) + "\"],\"text\":\"slots\",\"offline\":true}");

            await().atMost(DELIVERY).until(() -> first.count(id) == 1 && second.count(id) == 1);
            await().atMost(DELIVERY).until(() -> api.status(id).number("stored") >= 1);
            offline.connect(suite.access1Port);
            await().atMost(DELIVERY).until(() -> offline.count(id) == 1);
            await().atMost(DELIVERY).until(() -> api.status(id).number("delivered") == 3);
            for (int i = 0; i < masters.size(); i++) {
                String route = RedisKeys.route(HeraldSuite.APP, ids.get(i));
                StatefulRedisConnection<String, String> owner = direct.get(i);
                await().atMost(DELIVERY).until(() -> owner.sync().exists(route) == 1);
            }
        } finally {
            devices.forEach(Device::close);
            clients.forEach(RedisClient::shutdown);
        }
    }

    private static boolean owns(StatefulRedisConnection<String, String> master, String key) {
        try {
            master.sync().exists(key);
            return true;
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage().startsWith("MOVED")) {
                return false;
            }
            throw e;
        }
    }
}
