package dev.herald.api.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.core.app.TokenRevocation;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

class TokenRevocationApiTest extends ApiIntegrationTest {

    @Autowired
    private JsonMapper json;

    @Test
    void aRevocationIsStoredWithTheDevicesHashTagForTheLongestTokenLifetime() {
        long before = System.currentTimeMillis();

        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, "/v1/apps/demo/devices/lost-phone/revoke-tokens", null)
                .expectStatus().isNoContent()
                .expectBody().isEmpty();

        String key = RedisKeys.revoked("demo", "lost-phone");
        assertThat(key).isEqualTo("h:revoked:{demo:lost-phone}");
        assertThat(Long.parseLong(redis.opsForValue().get(key))).isBetween(before, System.currentTimeMillis());
        // herald.api.max-token-ttl: 365 days by default
        assertThat(redis.getExpire(key, TimeUnit.SECONDS))
                .isBetween(Duration.ofDays(365).minusMinutes(1).toSeconds(), Duration.ofDays(365).toSeconds());
    }

    @Test
    void theNodeHoldingTheDevicesRouteAndEveryLiveNodeAreToldToCloseItsConnections() {
        redis.opsForValue().set(RedisKeys.route("demo", "online-phone"), "node-r1");
        // node-r2 is live and may hold another connection of the device (a stolen token used meanwhile).
        redis.opsForZSet().add(RedisKeys.LIVE_NODES, "node-r2", System.currentTimeMillis());

        asDemo().post().uri("/v1/apps/demo/devices/online-phone/revoke-tokens").exchange()
                .expectStatus().isNoContent();

        assertToldToRevoke("node-r1");
        assertToldToRevoke("node-r2");
    }

    private void assertToldToRevoke(String node) {
        List<MapRecord<String, Object, Object>> entries = redis.opsForStream()
                .read(StreamOffset.fromStart(RedisKeys.deliveries(node)));
        assertThat(entries).as(node).singleElement().satisfies(entry -> {
            assertThat(entry.getValue()).containsOnlyKeys(RedisKeys.REVOCATION_FIELD);
            TokenRevocation revocation = json.readValue((String) entry.getValue().get(RedisKeys.REVOCATION_FIELD),
                    TokenRevocation.class);
            assertThat(revocation.appId()).isEqualTo("demo");
            assertThat(revocation.deviceId()).isEqualTo("online-phone");
            assertThat(revocation.revokedAtMillis())
                    .isEqualTo(Long.parseLong(redis.opsForValue().get(RedisKeys.revoked("demo", "online-phone"))));
        });
    }

    @Test
    void anInvalidDeviceIdIsAProblemAndRevokesNothing() {
        asDemo().post().uri("/v1/apps/demo/devices/{deviceId}/revoke-tokens", "has space").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("INVALID_REQUEST")
                .jsonPath("$.detail").value(String.class, detail -> assertThat(detail).contains("not a valid device id"));

        assertThat(redis.hasKey(RedisKeys.revoked("demo", "has space"))).isFalse();
    }

    @Test
    void anotherAppsCredentialsCannotRevokeThisAppsDevices() {
        asOther().post().uri("/v1/apps/demo/devices/someone/revoke-tokens").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/v1/apps/demo/devices/someone/revoke-tokens").exchange()
                .expectStatus().isUnauthorized();

        assertThat(redis.hasKey(RedisKeys.revoked("demo", "someone"))).isFalse();
    }
}
