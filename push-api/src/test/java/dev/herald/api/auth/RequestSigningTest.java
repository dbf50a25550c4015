package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.core.app.ApiSignature;
import dev.herald.core.redis.RedisKeys;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Signed requests ({@code HERALD-HMAC-SHA256}) against the running push-api and a real Redis. */
class RequestSigningTest extends ApiIntegrationTest {

    private static final String MESSAGES = "/v1/apps/demo/messages";
    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"signed\"}";

    @Test
    void aSignedSendIsAcceptedAndItsNonceIsRememberedForTheReplayWindow() {
        String authorization = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE);

        send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON, authorization)
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.appId").isEqualTo("demo");

        String nonce = ApiSignature.parse(authorization).credentials().nonce();
        Long ttl = redis.getExpire(RedisKeys.nonce("demo", nonce));
        // Accepted up to 300 s after its timestamp: remembered that long, plus a second.
        assertThat(ttl).isBetween(290L, 301L);
    }

    @Test
    void theQueryAndAnEmptyBodyAreSigned() {
        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.GET, "/v1/apps/demo/uplink/dead-letters?limit=5", null)
                .expectStatus().isOk();
        String signedForFive = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.GET,
                "/v1/apps/demo/uplink/dead-letters?limit=5", null);
        expectUnauthorized(send(HttpMethod.GET, "/v1/apps/demo/uplink/dead-letters?limit=500", null, null, signedForFive),
                "UNAUTHORIZED")
                .jsonPath("$.stringToSign").value(String.class, s -> assertThat(s).contains("\nlimit=500\n"));
    }

    @Test
    void anExactReplayIsRefusedEvenThoughItsSignatureIsValid() {
        String authorization = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE);
        send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON, authorization).expectStatus().isAccepted();

        expectUnauthorized(send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON, authorization),
                "REQUEST_REPLAYED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("fresh random nonce"));
    }

    @Test
    void aChangedBodyIsRefusedAndTheAnswerShowsWhatTheServerSigned() {
        String authorization = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE);
        String tampered = MESSAGE.replace("device-1", "device-2");
        String tamperedHash = HexFormat.of().formatHex(ApiSignature.sha256(tampered.getBytes(StandardCharsets.UTF_8)));

        expectUnauthorized(send(HttpMethod.POST, MESSAGES, tampered, MediaType.APPLICATION_JSON, authorization),
                "UNAUTHORIZED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("signature does not match"))
                .jsonPath("$.stringToSign").value(String.class, s -> assertThat(s)
                        .startsWith("HERALD-HMAC-SHA256\ndemo-key\n").contains("\nPOST\n" + MESSAGES + "\n\n")
                        .endsWith(tamperedHash));
    }

    @Test
    void aRequestSignedForOnePathCannotBeSentToAnother() {
        String authorization = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE);

        expectUnauthorized(send(HttpMethod.POST, "/v1/apps/demo/device-tokens", "{\"deviceId\":\"d\"}",
                MediaType.APPLICATION_JSON, authorization), "UNAUTHORIZED");
    }

    @Test
    void aTimestampOutsideTheWindowEitherWayIsExpiredAndTheServerTimeIsGiven() {
        long now = System.currentTimeMillis() / 1000;
        for (long ts : new long[] {now - 301, now + 400}) {
            String authorization = ApiSignature.authorization(DEMO_KEY, DEMO_SECRET, ts, ApiSignature.newNonce(), "POST",
                    MESSAGES, null, MESSAGE.getBytes(StandardCharsets.UTF_8));
            expectUnauthorized(send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON, authorization),
                    "REQUEST_EXPIRED")
                    .jsonPath("$.serverTime").value(Number.class, t -> assertThat(t.longValue()).isBetween(now - 5, now + 5))
                    .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("within 300 s"));
        }
        String slightlyOld = ApiSignature.authorization(DEMO_KEY, DEMO_SECRET, now - 200, ApiSignature.newNonce(), "POST",
                MESSAGES, null, MESSAGE.getBytes(StandardCharsets.UTF_8));
        send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON, slightlyOld).expectStatus().isAccepted();
    }

    @Test
    void anUnknownKeyOrAnotherAppsSecretIsUnauthorized() {
        expectUnauthorized(signed("no-such-key", DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE), "UNAUTHORIZED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("not the key of any app"));
        expectUnauthorized(signed(DEMO_KEY, OTHER_SECRET, HttpMethod.POST, MESSAGES, MESSAGE), "UNAUTHORIZED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("signature does not match"));
    }

    @Test
    void aMalformedSignatureHeaderSaysWhatIsWrong() {
        expectUnauthorized(send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.APPLICATION_JSON,
                "HERALD-HMAC-SHA256 key=demo-key, ts=1, sig=" + "0".repeat(64)), "UNAUTHORIZED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("'nonce' is missing"));
    }

    @Test
    void aValidSignatureOfAnotherAppIsForbiddenOnThisAppsPaths() {
        signed(OTHER_KEY, OTHER_SECRET, HttpMethod.POST, MESSAGES, MESSAGE)
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
    }

    @Test
    void duringARotationEitherSecretSigns() {
        for (String secret : List.of("rotating-secret-new-0123456789", "rotating-secret-old-0123456789")) {
            signed("rotating-key", secret, HttpMethod.POST, "/v1/apps/rotating/messages", MESSAGE)
                    .expectStatus().isAccepted();
        }
    }

    @Test
    void aSignedBodyAboveTheLimitIsTooLargeBeforeAnyParsing() {
        String huge = "{\"deviceId\": \"d\", \"text\": \"" + "a".repeat(1_100_000) + "\"}";
        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, huge)
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("REQUEST_TOO_LARGE")
                .jsonPath("$.detail").isEqualTo("The request body is larger than 1048576 bytes.");
    }

    @Test
    void aSignedBodyOfTheWrongTypeIsUnsupportedAndDeepNestingIsABadRequest() {
        String authorization = authorization(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, MESSAGE);
        send(HttpMethod.POST, MESSAGES, MESSAGE, MediaType.TEXT_PLAIN, authorization)
                .expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .expectBody().jsonPath("$.code").isEqualTo("UNSUPPORTED_MEDIA_TYPE");

        String nested = "{\"deviceId\": \"d\", \"text\": \"x\", \"extra\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, MESSAGES, nested)
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("MALFORMED_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("nesting depth")
                        .doesNotContain("StreamReadConstraints"));
    }

    @Test
    void a401OffersTheSignatureAndWhileAllowedBasic() {
        web.get().uri(MESSAGES + "/01JDQ7N5W3X8M2K4R6T9V0YZAB").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().values(HttpHeaders.WWW_AUTHENTICATE, values -> assertThat(values)
                        .containsExactly(AppAuthenticationFilter.SIGNATURE_CHALLENGE, AppAuthenticationFilter.BASIC_CHALLENGE));
    }

    private static WebTestClient.BodyContentSpec expectUnauthorized(WebTestClient.ResponseSpec response, String code) {
        return response.expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.code").isEqualTo(code);
    }
}
