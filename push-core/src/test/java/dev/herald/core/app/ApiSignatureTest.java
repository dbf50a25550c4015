package dev.herald.core.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiSignatureTest {

    private static final String SECRET = "demo-secret-0123456789";
    private static final String NONCE = "AAAAAAAAAAAAAAAAAAAAAA";
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signatureIsHexHmacOfTheEightLineStringToSign() {
        // Reference from openssl, as docs/security.md shows:
        //   printf 'HERALD-HMAC-SHA256\ndemo-key\n1700000000\nAAAAAAAAAAAAAAAAAAAAAA\nPOST\n/v1/apps/demo/messages\n'\
        //   'x=1&y=%%2F\n015abd7f…f862' | openssl dgst -sha256 -hmac demo-secret-0123456789
        String toSign = ApiSignature.stringToSign("demo-key", 1_700_000_000L, NONCE, "post", "/v1/apps/demo/messages",
                "x=1&y=%2F", BODY);

        assertThat(toSign).isEqualTo("HERALD-HMAC-SHA256\ndemo-key\n1700000000\n" + NONCE + "\nPOST\n"
                + "/v1/apps/demo/messages\nx=1&y=%2F\n015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862");
        assertThat(ApiSignature.sign(SECRET, toSign))
                .isEqualTo("30f19668fce3200422d0bfa6271eacae23514bdc271cfb32760cc62a767679d4");
    }

    @Test
    void aHeaderBuiltByTheClientSideParsesAndVerifies() {
        String header = ApiSignature.authorization("demo-key", SECRET, 1_700_000_000L, NONCE, "GET",
                "/v1/apps/demo/messages/x", null, new byte[0]);

        ApiSignature.Credentials credentials = ApiSignature.parse(header).value().orElseThrow();

        assertThat(credentials.key()).isEqualTo("demo-key");
        assertThat(credentials.timestamp()).isEqualTo(1_700_000_000L);
        assertThat(credentials.nonce()).isEqualTo(NONCE);
        String toSign = ApiSignature.stringToSign("demo-key", 1_700_000_000L, NONCE, "GET", "/v1/apps/demo/messages/x",
                "", new byte[0]);
        assertThat(ApiSignature.matches(List.of(SECRET), toSign, credentials.signature())).isTrue();
        assertThat(ApiSignature.matches(List.of("another-secret-0123456789"), toSign, credentials.signature())).isFalse();
        assertThat(credentials.toString()).doesNotContain(credentials.signature());
    }

    @Test
    void anyOfTheAppsSecretsVerifiesDuringARotation() {
        String toSign = ApiSignature.stringToSign("k", 1, NONCE, "GET", "/", null, null);
        String byOld = ApiSignature.sign("old-secret-0123456789", toSign);

        assertThat(ApiSignature.matches(List.of("new-secret-0123456789", "old-secret-0123456789"), toSign, byOld)).isTrue();
        assertThat(ApiSignature.matches(List.of("new-secret-0123456789"), toSign, byOld)).isFalse();
    }

    @Test
    void everySignedPartChangesTheSignature() {
        String base = ApiSignature.stringToSign("k", 1, NONCE, "POST", "/p", "q=1", BODY);
        List<String> changed = List.of(
                ApiSignature.stringToSign("k2", 1, NONCE, "POST", "/p", "q=1", BODY),
                ApiSignature.stringToSign("k", 2, NONCE, "POST", "/p", "q=1", BODY),
                ApiSignature.stringToSign("k", 1, NONCE + "B", "POST", "/p", "q=1", BODY),
                ApiSignature.stringToSign("k", 1, NONCE, "PUT", "/p", "q=1", BODY),
                ApiSignature.stringToSign("k", 1, NONCE, "POST", "/p2", "q=1", BODY),
                ApiSignature.stringToSign("k", 1, NONCE, "POST", "/p", "q=2", BODY),
                ApiSignature.stringToSign("k", 1, NONCE, "POST", "/p", "q=1", "{\"a\":2}".getBytes(StandardCharsets.UTF_8)));
        String signature = ApiSignature.sign(SECRET, base);
        for (String other : changed) {
            assertThat(ApiSignature.matches(List.of(SECRET), other, signature)).as(other).isFalse();
        }
    }

    @Test
    void quotedParametersMayHoldCommasAndQuotesAndOrderDoesNotMatter() {
        String header = ApiSignature.authorization("odd, \"key\"", SECRET, 5, NONCE, "GET", "/", null, null);
        assertThat(ApiSignature.parse(header).value().orElseThrow().key()).isEqualTo("odd, \"key\"");

        String reordered = "herald-hmac-sha256 sig=" + "a".repeat(64) + ",nonce=" + NONCE + ", ts=7 ,key=plain";
        ApiSignature.Credentials credentials = ApiSignature.parse(reordered).value().orElseThrow();
        assertThat(credentials.key()).isEqualTo("plain");
        assertThat(credentials.timestamp()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "HERALD-HMAC-SHA256 ts=1, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=" + "0000000000000000000000000000000000000000000000000000000000000000",
            "HERALD-HMAC-SHA256 key=k, ts=soon, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "HERALD-HMAC-SHA256 key=k, ts=1, nonce=short, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "HERALD-HMAC-SHA256 key=k, ts=1, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=xyz",
            "HERALD-HMAC-SHA256 key=\"unterminated, ts=1, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "HERALD-HMAC-SHA256 key=k, key=k, ts=1, nonce=AAAAAAAAAAAAAAAAAAAAAA, sig=0000000000000000000000000000000000000000000000000000000000000000",
            "HERALD-HMAC-SHA256 garbage",
            "Basic ZGVtby1rZXk6eA=="})
    void malformedHeadersSayWhatIsWrong(String header) {
        ApiSignature.Parsed parsed = ApiSignature.parse(header);

        assertThat(parsed.value()).isEmpty();
        assertThat(parsed.error()).isNotBlank();
    }

    @Test
    void noncesAreFreshAndWellFormed() {
        String a = ApiSignature.newNonce();
        String b = ApiSignature.newNonce();

        assertThat(a).matches(ApiSignature.NONCE_PATTERN).isNotEqualTo(b);
    }
}
