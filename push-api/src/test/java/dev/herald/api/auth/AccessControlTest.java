package dev.herald.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.api.message.MessageAccepted;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class AccessControlTest extends ApiIntegrationTest {

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

    @Test
    void missingCredentialsAreUnauthorized() {
        expectUnauthorized(web.post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MESSAGE).exchange())
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("HTTP Basic"));
    }

    @Test
    void wrongSecretIsUnauthorized() {
        expectUnauthorized(web.post().uri("/v1/apps/demo/messages")
                .headers(h -> h.setBasicAuth(DEMO_KEY, "demo-secret-0123456788"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(MESSAGE).exchange());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic bm8tc3VjaC1rZXk6ZGVtby1zZWNyZXQtMDEyMzQ1Njc4OQ==", "Basic !!!", "Basic ZGVtby1rZXk=",
            "Bearer abc", "Basic"})
    void unknownKeyOrMalformedHeaderIsUnauthorized(String authorization) {
        expectUnauthorized(web.get().uri("/v1/apps/demo/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB")
                .header(HttpHeaders.AUTHORIZATION, authorization).exchange());
    }

    @Test
    void basicSchemeNameIsCaseInsensitive() {
        String credentials = Base64.getEncoder().encodeToString((DEMO_KEY + ":" + DEMO_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        web.get().uri("/v1/apps/demo/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB")
                .header(HttpHeaders.AUTHORIZATION, "basic " + credentials).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
    }

    @Test
    void anotherAppsCredentialsAreForbidden() {
        asOther().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).bodyValue(MESSAGE)
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.code").isEqualTo("FORBIDDEN")
                .jsonPath("$.instance").isEqualTo("/v1/apps/demo/messages");
        asOther().post().uri("/v1/apps/demo/device-tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"deviceId\": \"d\"}").exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
        asDemo().post().uri("/v1/apps/no-such-app/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MESSAGE).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.code").isEqualTo("FORBIDDEN");
    }

    @Test
    void statusOfAnotherAppsMessageIsNotFound() {
        MessageAccepted others = asOther().post().uri("/v1/apps/other/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(MESSAGE).exchange()
                .expectStatus().isAccepted()
                .expectBody(MessageAccepted.class).returnResult().getResponseBody();
        asOther().get().uri(others.status()).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.appId").isEqualTo("other");

        asDemo().get().uri("/v1/apps/demo/messages/" + others.id()).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("NOT_FOUND")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).doesNotContain("other"));
    }

    /**
     * Over one keep-alive connection (the JDK client's pool), refusals written before the body is read must
     * not stall the requests that follow on that connection.
     */
    @Test
    void earlyRefusalsOfRequestsWithBodiesDoNotStallTheConnection() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String basicDemo = "Basic " + Base64.getEncoder().encodeToString((DEMO_KEY + ":" + DEMO_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            String path = i % 2 == 0 ? "/v1/apps/other/messages" : "/v1/apps/demo/messages";
            String authorization = i % 2 == 0 ? basicDemo : "Basic d3Jvbmc6d3Jvbmc=";
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + path))
                    .timeout(java.time.Duration.ofSeconds(3))
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(MESSAGE))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(i % 2 == 0 ? 403 : 401);
            // Answered before the body was read: the connection is not kept for the next request.
            assertThat(response.headers().firstValue("connection")).contains("close");
        }
        // A signed request's body is read for its signature: its refusal keeps the connection.
        java.net.http.HttpResponse<String> signed = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/v1/apps/other/messages"))
                .timeout(java.time.Duration.ofSeconds(3))
                .header("Authorization", authorization(DEMO_KEY, DEMO_SECRET, org.springframework.http.HttpMethod.POST,
                        "/v1/apps/other/messages", MESSAGE))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(MESSAGE))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(signed.statusCode()).isEqualTo(403);
        assertThat(signed.headers().firstValue("connection")).isEmpty();
    }

    @Test
    void docsAndActuatorNeedNoCredentials() {
        // The first request for the docs builds them: seconds on a loaded machine.
        web.mutate().responseTimeout(Duration.ofSeconds(30)).build().get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.openapi").exists();
        management().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
    }

    private static WebTestClient.BodyContentSpec expectUnauthorized(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isUnauthorized()
                .expectHeader().values(HttpHeaders.WWW_AUTHENTICATE, values -> assertThat(values).containsExactly(
                        AppAuthenticationFilter.SIGNATURE_CHALLENGE, AppAuthenticationFilter.BASIC_CHALLENGE))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.code").isEqualTo("UNAUTHORIZED")
                .jsonPath("$.type").isEqualTo("urn:herald:problem:unauthorized")
                .jsonPath("$.title").isEqualTo("Unauthorized");
    }
}
