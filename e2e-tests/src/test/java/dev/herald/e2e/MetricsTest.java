package dev.herald.e2e;

import static dev.herald.e2e.ManagementPort.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The metric taxonomy (docs/operations.md) under a real push: a real device on access-1, a real HTTP
 * request to push-api; every counter along the way moves, and every sample names its service, node and cell.
 */
@ExtendWith(HeraldSuite.class)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private record Probe(String service, ManagementPort port, String name, String... labels) {
        double read() {
            return value(port.prometheus(), name, labels);
        }
    }

    /** The node writes the device's route just after the handshake; a push before that would only be stored. */
    private static void awaitRoute(HeraldSuite suite, String deviceId) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + suite.redis.port());
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            await().atMost(WAIT).until(() -> redis.sync().exists(RedisKeys.route(HeraldSuite.APP, deviceId)) == 1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void metricNamesAndValuesMoveUnderARealPushAndCarryServiceNodeAndCell() {
        HeraldSuite suite = HeraldSuite.get();
        ManagementPort api = new ManagementPort(suite.api);
        ManagementPort dispatcher = new ManagementPort(suite.dispatcher);
        ManagementPort saver = new ManagementPort(suite.saver);
        ManagementPort access = new ManagementPort(suite.access1);
        Map<String, Probe> probes = Map.ofEntries(
                Map.entry("accepted", new Probe("push-api", api, "herald_api_messages_accepted_total", "kind=\"device\"")),
                Map.entry("dispatched", new Probe("dispatcher", dispatcher, "herald_dispatcher_messages_dispatched_total",
                        "kind=\"device\"")),
                Map.entry("deliveries", new Probe("dispatcher", dispatcher, "herald_dispatcher_deliveries_total")),
                Map.entry("batches", new Probe("dispatcher", dispatcher, "herald_dispatcher_batches_total", "result=\"ok\"")),
                Map.entry("stored", new Probe("dispatcher", dispatcher, "herald_dispatcher_offline_stored_total")),
                Map.entry("delivered", new Probe("access", access, "herald_access_delivered_total")),
                Map.entry("handshakes", new Probe("access", access, "herald_access_handshakes_total", "result=\"ok\"")),
                Map.entry("opened", new Probe("access", access, "herald_access_connections_opened_total",
                        "protocol=\"native\"")),
                Map.entry("pushed", new Probe("access", access, "herald_access_messages_pushed_total", "kind=\"live\"")),
                Map.entry("acks", new Probe("access", access, "herald_access_acks_total")),
                Map.entry("ackLatency", new Probe("access", access, "herald_access_ack_latency_seconds_count")),
                Map.entry("deliveryLatency", new Probe("access", access, "herald_access_delivery_latency_seconds_count")),
                Map.entry("redisCalls", new Probe("push-api", api, "herald_pool_calls_total", "pool=\"redis\"")),
                Map.entry("saverCalls", new Probe("access", access, "herald_pool_calls_total", "pool=\"saver\"")));
        Map<String, Double> before = new java.util.HashMap<>();
        probes.forEach((key, probe) -> before.put(key, probe.read()));
        double connectionsBefore = value(access.prometheus(), "herald_access_connections", "protocol=\"native\"");

        PushApi push = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "metrics-" + UUID.randomUUID();
        try (Device device = new Device(deviceId, push.token(deviceId)).connect(suite.access1Port)) {
            await().atMost(WAIT).until(() -> value(access.prometheus(), "herald_access_connections", "protocol=\"native\"")
                    >= connectionsBefore + 1);
            awaitRoute(suite, deviceId);
            // Stored for the device and delivered live: every stage moves, the backlog fetch at the saver included.
            String id = push.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"counted\",\"offline\":true}");
            await().atMost(WAIT).until(() -> device.count(id) == 1);

            await().atMost(WAIT).untilAsserted(() -> probes.forEach((key, probe) ->
                    assertThat(probe.read()).as(key + " (" + probe.name() + ")").isGreaterThan(before.get(key))));
        }

        String apiSample = ManagementPort.line(api.prometheus(), "herald_api_messages_accepted_total");
        assertThat(apiSample).contains("service=\"push-api\"", "node=\"push-api\"", "cell=\"default\"");
        String accessSample = ManagementPort.line(access.prometheus(), "herald_access_messages_pushed_total");
        assertThat(accessSample).contains("service=\"access-service\"", "node=\"access-1\"", "cell=\"default\"");
        String dispatcherText = dispatcher.prometheus();
        assertThat(ManagementPort.line(dispatcherText, "herald_dispatcher_intake_lag"))
                .contains("service=\"dispatcher-service\"", "node=\"dispatcher\"", "cell=\"default\"");
        assertThat(dispatcherText).contains("herald_dispatcher_uplink_callbacks_total{", "herald_dispatcher_intake_pending{");
        assertThat(ManagementPort.line(saver.prometheus(), "herald_saver_offline_fetched_total"))
                .contains("service=\"saver-service\"", "node=\"saver\"");
    }
}
