package dev.herald.api.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.core.app.DeviceToken;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

class DeviceTokenApiTest extends ApiIntegrationTest {

    @Test
    void mintedTokenIsValidForTheDeviceUntilItsTtlRunsOut() {
        Instant before = Instant.now();
        DeviceTokenView minted = mint("{\"deviceId\": \"device-42\", \"ttlSeconds\": 600}");

        assertThat(minted.appId()).isEqualTo("demo");
        assertThat(minted.deviceId()).isEqualTo("device-42");
        assertThat(minted.expiresAt()).isBetween(before.plusSeconds(600).minusSeconds(1), Instant.now().plusSeconds(601));
        assertThat(check(minted.token(), "device-42", Instant.now())).isEqualTo(DeviceToken.Check.VALID);
        assertThat(check(minted.token(), "device-42", minted.expiresAt().minusSeconds(1)))
                .isEqualTo(DeviceToken.Check.VALID);
        assertThat(check(minted.token(), "device-42", minted.expiresAt())).isEqualTo(DeviceToken.Check.EXPIRED);
        assertThat(check(minted.token(), "device-43", Instant.now())).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void tokensLastThirtyDaysByDefault() {
        DeviceTokenView minted = mint("{\"deviceId\": \"device-42\"}");
        assertThat(Duration.between(Instant.now(), minted.expiresAt()))
                .isBetween(Duration.ofDays(30).minusSeconds(5), Duration.ofDays(30).plusSeconds(1));
    }

    @Test
    void answerIsJsonWithIsoExpiry() {
        asDemo().post().uri("/v1/apps/demo/device-tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deviceId\": \"device-42\"}").exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.appId").isEqualTo("demo")
                .jsonPath("$.deviceId").isEqualTo("device-42")
                .jsonPath("$.token").value(String.class, t -> assertThat(t).startsWith("v2."))
                .jsonPath("$.expiresAt").value(String.class, e -> assertThat(e).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));
    }

    @Test
    void invalidDeviceIdOrTtlIsRejected() {
        for (String body : new String[] {"{}", "{\"deviceId\": \"has space\"}",
                "{\"deviceId\": \"d\", \"ttlSeconds\": 0}", "{\"deviceId\": \"d\", \"ttlSeconds\": 31536001}"}) {
            asDemo().post().uri("/v1/apps/demo/device-tokens").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(body).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        }
    }

    private DeviceTokenView mint(String body) {
        return asDemo().post().uri("/v1/apps/demo/device-tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody(DeviceTokenView.class).returnResult().getResponseBody();
    }

    private static DeviceToken.Check check(String token, String deviceId, Instant now) {
        return DeviceToken.check(DEMO_SECRET, "demo", deviceId, token, now);
    }
}
