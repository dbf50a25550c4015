package dev.herald.api.room;

import dev.herald.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The room endpoints' own rules: authentication, validation as problem documents before the chatroom-service is
 * called, and 503 with Retry-After when it cannot be reached. Rooms working end to end: e2e {@code ChatroomTest}.
 */
class RoomApiTest extends ApiIntegrationTest {

    @Test
    void roomEndpointsNeedTheAppsCredentialsForItsOwnPath() {
        web.get().uri("/v1/apps/demo/rooms/lobby").exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        asOther().get().uri("/v1/apps/demo/rooms/lobby").exchange().expectStatus().isForbidden();
    }

    @Test
    void badRequestsAreRefusedAsProblemsWithoutCallingTheChatroomService() {
        asDemo().post().uri("/v1/apps/demo/rooms/lobby/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"a\",\"base64\":\"YQ==\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        asDemo().post().uri("/v1/apps/demo/rooms/lobby/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"\"}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("EMPTY_PAYLOAD");
        asDemo().post().uri("/v1/apps/demo/rooms/lobby/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"" + "x".repeat(101) + "\"}").exchange()
                .expectStatus().isEqualTo(413).expectBody().jsonPath("$.code").isEqualTo("PAYLOAD_TOO_LARGE");
        asDemo().get().uri("/v1/apps/demo/rooms/no%20spaces").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.detail").value(d -> org.assertj.core.api.Assertions
                        .assertThat(d.toString()).contains("room id"));
        asDemo().get().uri("/v1/apps/demo/rooms?limit=0").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.code").isEqualTo("INVALID_REQUEST");
        asDemo().put().uri("/v1/apps/demo/rooms/lobby/members/d1/mute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"seconds\":0}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("seconds");
        asDemo().post().uri("/v1/apps/demo/rooms/lobby/members/d1/kick").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"banSeconds\":-1}").exchange().expectStatus().isBadRequest();
    }

    @Test
    void anUnreachableChatroomServiceIsA503ToRetry() {
        asDemo().get().uri("/v1/apps/demo/rooms/lobby").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE");
        asDemo().post().uri("/v1/apps/demo/rooms/lobby/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"text\":\"hello\"}").exchange().expectStatus().isEqualTo(503);
    }
}
