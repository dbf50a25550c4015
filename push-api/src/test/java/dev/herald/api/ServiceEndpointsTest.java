package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

class ServiceEndpointsTest extends ApiIntegrationTest {

    @Autowired
    MeterRegistry meters;

    @Test
    void apiDocsDescribeTheThreeOperationsAndBasicAuthentication() {
        web.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.info.title").isEqualTo("Herald Push API")
                .jsonPath("$.paths['/v1/apps/{appId}/messages'].post.operationId").isEqualTo("sendMessage")
                .jsonPath("$.paths['/v1/apps/{appId}/messages'].post.summary").isEqualTo("Send a message")
                .jsonPath("$.paths['/v1/apps/{appId}/messages'].post.responses['202']").exists()
                .jsonPath("$.paths['/v1/apps/{appId}/messages'].post.responses['401']").exists()
                .jsonPath("$.paths['/v1/apps/{appId}/messages/{messageId}'].get.operationId").isEqualTo("getMessageStatus")
                .jsonPath("$.paths['/v1/apps/{appId}/device-tokens'].post.operationId").isEqualTo("mintDeviceToken")
                .jsonPath("$.paths['/v1/apps/{appId}/devices/{deviceId}/revoke-tokens'].post.operationId")
                .isEqualTo("revokeDeviceTokens")
                .jsonPath("$.paths['/v1/apps/{appId}/devices/{deviceId}/revoke-tokens'].post.responses['204']").exists()
                .jsonPath("$.paths['/v1/apps/{appId}/devices/{deviceId}/revoke-tokens'].post.responses['400']").exists()
                .jsonPath("$.paths['/v1/apps/{appId}/messages/batch'].post.operationId").isEqualTo("sendMessageBatch")
                .jsonPath("$.components.schemas.SendBatchRequest.properties.messages").exists()
                .jsonPath("$.paths['/v1/apps/{appId}/rooms/{roomId}/messages'].post.operationId").isEqualTo("postRoomMessage")
                .jsonPath("$.paths['/v1/apps/{appId}/rooms/{roomId}/members/{deviceId}/kick'].post.responses['404']").exists()
                // messages, batch, message status, device tokens and their revocation, the three uplink dead-letter
                // paths and six room paths
                .jsonPath("$.paths.length()").isEqualTo(14)
                .jsonPath("$.components.securitySchemes.appKeyAndSecret.type").isEqualTo("http")
                .jsonPath("$.components.securitySchemes.appKeyAndSecret.scheme").isEqualTo("basic")
                .jsonPath("$.components.schemas.Problem.properties.code").exists()
                .jsonPath("$.components.schemas.SendMessageRequest.properties.deviceIds").exists();
    }

    @Test
    void swaggerUiIsServed() {
        String location = web.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .expectBody().returnResult().getResponseHeaders().getLocation().toString();
        web.get().uri(location).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("swagger-ui"));
    }

    @Test
    void demoPageIsReachedFromItsDirectoryAddress() {
        for (String address : new String[] {"/demo/", "/demo"}) {
            web.get().uri(address).exchange()
                    .expectStatus().isFound()
                    .expectHeader().location("/demo/index.html");
        }
        web.get().uri("/demo/?autoconnect=1&device=d1").exchange()
                .expectStatus().isFound()
                .expectHeader().location("/demo/index.html?autoconnect=1&device=d1");
        web.get().uri("/demo/index.html").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("herald-device.js"));
    }

    @Test
    void healthIsUpAndIncludesRedis() {
        management().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }

    @Test
    void probesSeparateReadinessWithRedisFromLivenessAndNeedNoZooKeeper() {
        management().get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper").doesNotExist();
        management().get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.livenessState.status").isEqualTo("UP")
                .jsonPath("$.components.redis").doesNotExist();
    }

    @Test
    void acceptedAndRejectedMessagesAreCounted() {
        double acceptedBefore = meters.counter("herald.api.messages.accepted", "kind", "broadcast").count();
        double emptyBefore = meters.counter("herald.api.requests.rejected", "reason", "EMPTY_PAYLOAD").count();
        asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"broadcast\": true, \"text\": \"x\"}").exchange()
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.id").exists();
        asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"broadcast\": true, \"text\": \"\"}").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("EMPTY_PAYLOAD");

        assertThat(meters.counter("herald.api.messages.accepted", "kind", "broadcast").count()).isEqualTo(acceptedBefore + 1);
        assertThat(meters.counter("herald.api.requests.rejected", "reason", "EMPTY_PAYLOAD").count())
                .isEqualTo(emptyBefore + 1);
    }

    @Test
    void actuatorIsNotServedOnThePublicPort() {
        web.get().uri("/actuator/health").exchange().expectStatus().isNotFound().expectBody().returnResult();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound().expectBody().returnResult();
    }

    @Test
    void prometheusEndpointIsExposed() {
        management().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("herald_api_messages_accepted_total")
                        .contains("service=\"push-api\""));
    }
}
