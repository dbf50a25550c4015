package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTokenTest {

    private static final String SECRET = "demo-secret-0123456789";
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void tokenMintedForADeviceIsValidForThatDeviceUntilItExpires() {
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", NOW.plusSeconds(60));

        assertThat(token).startsWith("v2.");
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
        String stretched = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 86400) + "." + parts[3];

        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", stretched, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void aV2TokenCarriesItsSignedIssueTimeToTheMillisecond() {
        Instant issued = NOW.plusMillis(123);
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", issued, NOW.plusSeconds(60));

        assertThat(token).startsWith("v2." + issued.toEpochMilli() + "." + NOW.plusSeconds(60).getEpochSecond() + ".");
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", token, NOW)).isEqualTo(DeviceToken.Check.VALID);
        assertThat(DeviceToken.issuedAtMillis(token)).isEqualTo(issued.toEpochMilli());
    }

    @Test
    void backdatingAV2TokenInvalidatesTheSignature() {
        String token = DeviceToken.mint(SECRET, "demo", "phone-1", NOW, NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String backdated = parts[0] + "." + (Long.parseLong(parts[1]) + 1) + "." + parts[2] + "." + parts[3];
        String stretched = parts[0] + "." + parts[1] + "." + (Long.parseLong(parts[2]) + 86400) + "." + parts[3];

        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", backdated, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", stretched, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void aV1TokenStaysValidAndCountsAsIssuedBeforeAnyRevocation() {
        String token = DeviceToken.mintV1(SECRET, "demo", "phone-1", NOW.plusSeconds(60));

        assertThat(token).startsWith("v1." + NOW.plusSeconds(60).getEpochSecond() + ".");
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", token, NOW)).isEqualTo(DeviceToken.Check.VALID);
        assertThat(DeviceToken.check(SECRET, "demo", "phone-2", token, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", token, NOW.plusSeconds(60)))
                .isEqualTo(DeviceToken.Check.EXPIRED);
        assertThat(DeviceToken.issuedAtMillis(token)).isEqualTo(DeviceToken.UNKNOWN_ISSUE_TIME);
    }

    @Test
    void aV1SignatureDoesNotPassAsV2OrTheOtherWayRound() {
        String v1 = DeviceToken.mintV1(SECRET, "demo", "phone-1", NOW.plusSeconds(60));
        String v2 = DeviceToken.mint(SECRET, "demo", "phone-1", NOW, NOW.plusSeconds(60));
        String v1AsV2 = "v2.0." + v1.substring(3);
        String[] parts = v2.split("\\.");
        String v2AsV1 = "v1." + parts[2] + "." + parts[3];

        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", v1AsV2, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
        assertThat(DeviceToken.check(SECRET, "demo", "phone-1", v2AsV1, NOW)).isEqualTo(DeviceToken.Check.BAD_SIGNATURE);
    }

    @Test
    void malformedTokensAreReportedAsSuch() {
        String valid = DeviceToken.mint(SECRET, "demo", "phone-1", NOW, NOW.plusSeconds(60));
        String[] parts = valid.split("\\.");
        for (String bad : new String[] {null, "", ".", "v1", "v2", "v2.1.abc", "v1.notanumber.abc", "v1.1.2.3",
                "v3.1.2.abc", "v2.x.1.abc", "v2.1.x.abc", "v2.1.2.3.abc", "v1.+5.abc", "v1.-5.abc", "v2..5.abc",
                "v2.99999999999999999999.5.abc", "V2." + parts[1] + "." + parts[2] + "." + parts[3],
                " " + valid, valid + "."}) {
            assertThat(DeviceToken.check(SECRET, "demo", "phone-1", bad, NOW)).as(bad).isEqualTo(DeviceToken.Check.MALFORMED);
        }
        assertThatThrownBy(() -> DeviceToken.issuedAtMillis("v2.garbage")).isInstanceOf(IllegalArgumentException.class);
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
