package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/** push-api as production should run it: only signed requests. */
@TestPropertySource(properties = "herald.api.auth.basic-enabled=false")
@DirtiesContext
class BasicDisabledTest extends ApiIntegrationTest {

    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

    @Test
    void correctBasicCredentialsAreRefusedWithAPointerToSigning() {
        asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(MESSAGE)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().values(HttpHeaders.WWW_AUTHENTICATE, values -> assertThat(values)
                        .containsExactly(AppAuthenticationFilter.SIGNATURE_CHALLENGE))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("UNAUTHORIZED")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d)
                        .contains("HTTP Basic is turned off").contains("HERALD-HMAC-SHA256"));
    }

    @Test
    void signedRequestsStillWork() {
        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, "/v1/apps/demo/messages", MESSAGE).expectStatus().isAccepted();
        signed(DEMO_KEY, DEMO_SECRET, HttpMethod.POST, "/v1/apps/demo/device-tokens", "{\"deviceId\": \"d1\"}")
                .expectStatus().isCreated();
    }
}
