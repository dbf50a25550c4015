package dev.herald.web.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemWriterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<ProblemDetail> heard = new ArrayList<>();
    private final ProblemWriter writer = new ProblemWriter(ServerCodecConfigurer.create(), List.of(heard::add));

    @Test
    void writesAnRfc9457DocumentWithTheRequestPathAsInstanceAndTellsTheListeners() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/admin/v1/config"));
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"test\"");
        ProblemDetail problem = Problems.of(TestProblem.UNAUTHORIZED, "Send the token.");

        writer.write(exchange, problem, headers).block();

        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
                .isEqualTo("Bearer realm=\"test\"");
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.CONNECTION)).isFalse();
        JsonNode body = JSON.readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body).isEqualTo(JSON.readTree("""
                {"type": "urn:herald:problem:unauthorized", "title": "Unauthorized", "status": 401,
                 "detail": "Send the token.", "instance": "/admin/v1/config", "code": "UNAUTHORIZED"}"""));
        assertThat(heard).containsExactly(problem);
    }

    @Test
    void anAnswerBeforeAnUnreadBodyClosesTheConnection() {
        MockServerWebExchange withBody = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/x")
                .contentType(MediaType.APPLICATION_JSON).contentLength(8).body("{\"a\": 1}"));
        writer.writeBeforeBody(withBody, Problems.of(TestProblem.UNAUTHORIZED, "no"), HttpHeaders.EMPTY).block();
        assertThat(withBody.getResponse().getHeaders().getFirst(HttpHeaders.CONNECTION)).isEqualTo("close");

        MockServerWebExchange withoutBody = MockServerWebExchange.from(MockServerHttpRequest.get("/v1/x"));
        writer.writeBeforeBody(withoutBody, Problems.of(TestProblem.UNAUTHORIZED, "no"), HttpHeaders.EMPTY).block();
        assertThat(withoutBody.getResponse().getHeaders().containsHeader(HttpHeaders.CONNECTION)).isFalse();
    }
}
