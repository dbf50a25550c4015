package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClientException;
import dev.herald.protocol.ErrorCode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Revoking a device's tokens through the API (docs/security.md, "Revoking a device's tokens"), end to end: the
 * connected device is disconnected within seconds, also where a copy of its token is connected on the other node;
 * the old token is refused at the next CONNECT; a token minted afterwards connects and receives pushes.
 */
@ExtendWith(HeraldSuite.class)
class TokenRevocationTest {

    private static final Duration WITHIN = Duration.ofSeconds(5);

    private final HeraldSuite suite = HeraldSuite.get();
    private final PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);

    @Test
    void aRevokedDeviceIsDisconnectedEverywhereItsOldTokenIsRefusedAndANewTokenIsAccepted() {
        String deviceId = "revoked-" + UUID.randomUUID().toString().substring(0, 8);
        String oldToken = api.token(deviceId);
        try (Device device = new Device(deviceId, oldToken).connect(suite.access1Port);
             Device stolenCopy = new Device(deviceId, oldToken).connect(suite.access2Port)) {
            assertThat(api.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"before\"}")).isNotBlank();
            await().atMost(WITHIN).until(() -> device.texts().contains("before") || stolenCopy.texts().contains("before"));

            PushApi.Reply revoked = api.post("/v1/apps/" + HeraldSuite.APP + "/devices/" + deviceId + "/revoke-tokens", null);
            assertThat(revoked.status()).as("%s", revoked.body()).isEqualTo(204);

            await().atMost(WITHIN).untilAsserted(() -> {
                assertThat(device.connected()).as("connection on access-1").isFalse();
                assertThat(stolenCopy.connected()).as("connection on access-2").isFalse();
            });
            assertThat(device.disconnects()).containsExactly(ErrorCode.TOKEN_EXPIRED);
            assertThat(stolenCopy.disconnects()).containsExactly(ErrorCode.TOKEN_EXPIRED);
        }

        for (int port : new int[] {suite.access1Port, suite.access2Port}) {
            try (Device again = new Device(deviceId, oldToken)) {
                assertThatThrownBy(() -> again.connect(port))
                        .hasRootCauseInstanceOf(PushClientException.class)
                        .rootCause().satisfies(cause -> assertThat(((PushClientException) cause).code())
                                .isEqualTo(ErrorCode.TOKEN_EXPIRED));
            }
        }

        try (Device renewed = new Device(deviceId, api.token(deviceId)).connect(suite.access1Port)) {
            api.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"after\"}");
            await().atMost(WITHIN).until(() -> renewed.texts().contains("after"));
            assertThat(renewed.connected()).isTrue();
        }
    }
}
