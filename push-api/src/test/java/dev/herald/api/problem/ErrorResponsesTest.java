package dev.herald.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class ErrorResponsesTest extends ApiIntegrationTest {

    @Test
    void malformedJsonIsABadRequest() {
        expectProblem(post("{\"deviceId\": \"d\", \"text\": ", MediaType.APPLICATION_JSON), HttpStatus.BAD_REQUEST,
                "MALFORMED_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("not valid JSON"));
    }

    @Test
    void memberOfTheWrongTypeIsNamed() {
        expectProblem(post("{\"deviceIds\": {\"a\": 1}, \"text\": \"x\"}", MediaType.APPLICATION_JSON),
                HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST")
                .jsonPath("$.detail").isEqualTo("The request member 'deviceIds' has the wrong type.");
    }

    @Test
    void missingBodyIsABadRequest() {
        expectProblem(asDemo().post().uri("/v1/apps/demo/messages").contentType(MediaType.APPLICATION_JSON).exchange(),
                HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("body is missing"));
    }

    @Test
    void wrongContentTypeIsUnsupported() {
        expectProblem(post("deviceId=d&text=x", MediaType.APPLICATION_FORM_URLENCODED),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
        expectProblem(post("{\"deviceId\": \"d\", \"text\": \"x\"}", MediaType.TEXT_PLAIN),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void unknownRouteIsNotFound() {
        expectProblem(asDemo().get().uri("/v1/apps/demo/nothing-here").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND");
        expectProblem(web.get().uri("/nothing-here").exchange(), HttpStatus.NOT_FOUND, "NOT_FOUND")
                .jsonPath("$.instance").isEqualTo("/nothing-here");
    }

    @Test
    void wrongMethodIsNotAllowed() {
        WebTestClient.ResponseSpec response = asDemo().delete().uri("/v1/apps/demo/messages").exchange();
        response.expectHeader().value(HttpHeaders.ALLOW, allow -> assertThat(allow).contains("POST"));
        expectProblem(response, HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED");
    }

    @Test
    void bodyAboveTheRequestLimitIsTooLarge() {
        String huge = "{\"deviceId\": \"d\", \"text\": \"" + "a".repeat(1_100_000) + "\"}";
        expectProblem(post(huge, MediaType.APPLICATION_JSON), HttpStatus.CONTENT_TOO_LARGE, "REQUEST_TOO_LARGE")
                .jsonPath("$.detail").isEqualTo("The request body is larger than 1048576 bytes.");
    }

    @Test
    void deeplyNestedJsonIsABadRequestNamingTheLimit() {
        String nested = "{\"deviceId\": \"d\", \"text\": \"x\", \"extra\": " + "{\"a\":".repeat(5000) + "1"
                + "}".repeat(5000) + "}";
        expectProblem(post(nested, MediaType.APPLICATION_JSON), HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d)
                        .startsWith("The request body exceeds a limit on JSON documents")
                        .contains("maximum allowed (16)"));
    }

    @Test
    void anOverlongMemberNameIsABadRequest() {
        String body = "{\"" + "n".repeat(1000) + "\": 1, \"deviceId\": \"d\", \"text\": \"x\"}";
        expectProblem(post(body, MediaType.APPLICATION_JSON), HttpStatus.BAD_REQUEST, "MALFORMED_REQUEST")
                .jsonPath("$.detail").value(String.class, d -> assertThat(d).contains("limit on JSON documents"));
    }

    private WebTestClient.ResponseSpec post(String body, MediaType contentType) {
        return asDemo().post().uri("/v1/apps/demo/messages").contentType(contentType).bodyValue(body).exchange();
    }

    private static WebTestClient.BodyContentSpec expectProblem(WebTestClient.ResponseSpec response, HttpStatus status,
            String code) {
        return response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(status.value())
                .jsonPath("$.code").isEqualTo(code)
                .jsonPath("$.type").isEqualTo(ProblemCode.valueOf(code).type().toString())
                .jsonPath("$.title").isEqualTo(ProblemCode.valueOf(code).title())
                .jsonPath("$.detail").exists()
                .jsonPath("$.trace").doesNotExist()
                .jsonPath("$.exception").doesNotExist();
    }
}
