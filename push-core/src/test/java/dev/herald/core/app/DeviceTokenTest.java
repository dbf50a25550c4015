package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTokenTest {

    private static final String SECRET = "demo-secret-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void tokenMintedForADeviceIsValidForThatDeviceUntilItExpires() {
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", NOW.plusSeconds(60));

        assertThat(token).startsWith("v1." + NOW.plusSeconds(60).getEpochSecond() + ".");
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", token, NOW)).isEqualTo(DeviceToken.Check.VALID);
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", token, NOW.plusSeconds(60)))
                .isEqualTo(DeviceToken.Check.EXPIRED);
    }

    @Test
    void tokenDoesNotTransferToAnotherDeviceAppOrSecret() {
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", NOW.plusSeconds(60));

        assertThat(DeviceToken.check(SECRET, "demo", "phone-2", token, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check(SECRET, "other", "phone-1", token, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check("another-secret-0123456789", "demo", "phone-1", token, NOW))
                .isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void extendingTheExpiryInvalidatesTheSignature() {
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String stretched = parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2];

        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", stretched, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void malformedTokensAreReportedAsSuch() {
        for (String bad : new String[] {null, "", "v1", "v2.1.abc", "v1.notanumber.abc", "v1.1.2.3"}) {
            assertThat(DeviceToken.check(SECRET, "demo", "phone-1", bad, NOW)).as(bad).isEqualTo(DeviceToken.Check.MALFORMED);
        }
    }

    @Test
    void duringARotationATokenSignedWithEitherSecretIsValid() {
        String older = "older-secret-0123456789";
        String byOld = DeviceToken.mint(older, "demo", "phone-1", NOW.plusSeconds(60));
        String byNew = DeviceToken.mint(SECRET, "demo", "phone-1", NOW.plusSeconds(60));
        List<String> rotating = List.of(SECRET, older);

        assertThat(DeviceToken.check(rotating, "demo", "phone-1", byOld, NOW)).isEqualTo(DeviceToken.Check.VALID);
        assertThat(DeviceToken.check(rotating, "demo", "phone-1", byNew, NOW)).isEqualTo(DeviceToken.Check.VALID);
        assertThat(DeviceToken.check(List.of(SECRET), "demo", "phone-1", byOld, NOW))
                .isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check(rotating, "demo", "phone-1", byOld, NOW.plusSeconds(60)))
                .isEqualTo(DeviceToken.Check.EXPIRED);
        assertThat(DeviceToken.check(rotating, "demo", "phone-1", "v1.x.y", NOW)).isEqualTo(DeviceToken.Check.MALFORMED);
    }
}
