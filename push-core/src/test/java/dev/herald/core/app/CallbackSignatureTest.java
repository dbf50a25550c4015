package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallbackSignatureTest {

    private static final String SECRET = "demo-secret-0123456789";
    private static final String OLD_SECRET = "old-secret-0123456789";
    private static final byte[] BODY = "{\"id\":\"01JDN5XG0028T8KAYDXW0J6HB7\",\"appId\":\"demo\"}"
            .getBytes(StandardCharsets.UTF_8);
    private static final long SENT = 1_700_000_000L;
    private static final Instant NOW = Instant.ofEpochSecond(SENT + 10);

    @Test
    void signatureIsLowercaseHexHmacOfTimestampDotBody() {
        // Reference value from: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac demo-secret-0123456789
        String signature = CallbackSignature.sign(SECRET, SENT, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1=aa6ffb9d431a0820d9c7b91e51a80b9622e360a5fb9557f288c714c8ff09a524");
    }

    @Test
    void freshSignatureVerifies() {
        String signature = CallbackSignature.sign(SECRET, SENT, BODY);

        assertThat(signature).matches("v1=[0-9a-f]{64}");
        assertThat(CallbackSignature.verify(SECRET, Long.toString(SENT), signature, BODY, NOW)).isTrue();
    }

    @Test
    void anyOfTheAppsSecretsVerifiesDuringARotation() {
        String signedWithOld = CallbackSignature.sign(OLD_SECRET, SENT, BODY);

        assertThat(CallbackSignature.verify(List.of(SECRET, OLD_SECRET), Long.toString(SENT), signedWithOld, BODY, NOW))
                .isTrue();
        assertThat(CallbackSignature.verify(List.of(SECRET), Long.toString(SENT), signedWithOld, BODY, NOW)).isFalse();
    }

    @Test
    void changedBodyOrTimestampDoesNotVerify() {
        String signature = CallbackSignature.sign(SECRET, SENT, BODY);
        byte[] changed = BODY.clone();
        changed[changed.length - 2] ^= 1;

        assertThat(CallbackSignature.verify(SECRET, Long.toString(SENT), signature, changed, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, Long.toString(SENT + 1), signature, BODY, NOW)).isFalse();
    }

    @Test
    void timestampOutsideTheToleranceIsRejectedEvenWithAValidSignature() {
        long old = NOW.getEpochSecond() - CallbackSignature.DEFAULT_TOLERANCE.toSeconds() - 1;
        long future = NOW.getEpochSecond() + CallbackSignature.DEFAULT_TOLERANCE.toSeconds() + 1;
        long edge = NOW.getEpochSecond() - CallbackSignature.DEFAULT_TOLERANCE.toSeconds();

        assertThat(CallbackSignature.verify(SECRET, Long.toString(old), CallbackSignature.sign(SECRET, old, BODY), BODY, NOW))
                .isFalse();
        assertThat(CallbackSignature.verify(SECRET, Long.toString(future), CallbackSignature.sign(SECRET, future, BODY),
                BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, Long.toString(edge), CallbackSignature.sign(SECRET, edge, BODY), BODY, NOW))
                .isTrue();
        assertThat(CallbackSignature.verify(List.of(SECRET), Long.toString(SENT), CallbackSignature.sign(SECRET, SENT, BODY),
                BODY, NOW, Duration.ofSeconds(5))).isFalse();
    }

    @Test
    void malformedHeadersAreRejectedWithoutAnException() {
        String signature = CallbackSignature.sign(SECRET, SENT, BODY);
        String ts = Long.toString(SENT);

        assertThat(CallbackSignature.verify(SECRET, null, signature, BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, null, BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, "yesterday", signature, BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, signature.substring(3), BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, "v2=" + signature.substring(3), BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, "v1=zz", BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, "v1=abc", BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, signature.substring(0, 20), BODY, NOW)).isFalse();
        assertThat(CallbackSignature.verify(SECRET, ts, signature, null, NOW)).isFalse();
    }

    @Test
    void verifyingWithoutSecretsIsAProgrammingError() {
        assertThatThrownBy(() -> CallbackSignature.verify(List.of(), "1", "v1=00", BODY, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
