package dev.herald.web.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.web.problem.ProblemWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SecretHeaderFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "the-shared-key-0123456789";

    /** The simplest rule: the header holds the key itself. */
    private static final class KeyFilter extends SecretHeaderFilter {

        private final SharedSecret key = SharedSecret.of(KEY);

        KeyFilter() {
            super("/internal/", "X-Key", "TestKey", new ProblemWriter(ServerCodecConfigurer.create()));
        }

        @Override
        protected boolean accepts(String presented) {
            return key.matches(presented);
        }

        @Override
        protected ProblemDetail refusal(String presented) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                    presented == null ? "no key" : "wrong key");
            problem.setProperty("code", "KEY_REQUIRED");
            return problem;
        }
    }

    private final KeyFilter filter = new KeyFilter();
    private final AtomicBoolean passed = new AtomicBoolean();
    private final WebFilterChain chain = exchange -> {
        passed.set(true);
        return Mono.empty();
    };

    @Test
    void theRightKeyPasses() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/internal/v1/store").header("X-Key", KEY));

        filter.filter(exchange, chain).block();

        assertThat(passed).isTrue();
        assertThat(exchange.getResponse().getStatusCode()).isNull();
    }

    @Test
    void pathsOutsideThePrefixPassWithoutAKey() {
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.get("/v3/api-docs")), chain).block();

        assertThat(passed).isTrue();
    }

    @Test
    void noKeyIsRefusedWith401ProblemAndChallenge() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/internal/v1/store"));

        filter.filter(exchange, chain).block();

        assertThat(passed).isFalse();
        assertRefused(exchange, "no key");
    }

    @Test
    void aWrongKeyIsRefusedWith401ProblemAndChallenge() {
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.post("/internal/v1/store").header("X-Key", KEY + "x"));

        filter.filter(exchange, chain).block();

        assertThat(passed).isFalse();
        assertRefused(exchange, "wrong key");
    }

    private static void assertRefused(MockServerWebExchange exchange, String detail) {
        assertThat(exchange.getResponse().getStatusCode().value()).isEqualTo(401);
        assertThat(exchange.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("TestKey");
        JsonNode body = JSON.readTree(exchange.getResponse().getBodyAsString().block());
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("code").asString()).isEqualTo("KEY_REQUIRED");
        assertThat(body.get("detail").asString()).isEqualTo(detail);
        assertThat(body.get("instance").asString()).isEqualTo("/internal/v1/store");
    }
}
