package dev.herald.configserver.cluster;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpPoolSettings;
import dev.herald.web.problem.RejectedRequestException;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Calls the actuator endpoints of an instance's management port ({@code http://<host>:<managementPort>/actuator/...},
 * as the instance registered them). The browser never reaches these ports: they are internal, and the console
 * goes through the admin API. Every call is bounded; failures become problems naming the instance:
 * {@link ProblemCode#INSTANCE_UNREACHABLE} (502), {@link ProblemCode#INSTANCE_TIMEOUT} (504),
 * {@link ProblemCode#INSTANCE_ERROR} (502). Its connections are the config-server's client pool {@code management}
 * (in its own {@code /actuator/pools}).
 */
@Component
public final class ManagementClient {

    /** Where the services serve their actuator endpoints on the management port (Spring Boot's default). */
    static final String ACTUATOR = "/actuator";
    /** A busy service's Prometheus text is a few hundred KB. */
    private static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;
    /** Per instance: a console refresh asks each one three things at once; captures and downloads add a few. */
    private static final int CONNECTIONS_PER_INSTANCE = 8;

    private final WebClient web;
    private final Duration callTimeout;

    public ManagementClient(ConfigServerProperties properties, ClientPools pools) {
        this.callTimeout = properties.cluster().callTimeout();
        HttpClient http = pools.http("management", HttpPoolSettings.of(CONNECTIONS_PER_INSTANCE, callTimeout)).httpClient()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(callTimeout.toMillis()));
        this.web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_ANSWER_BYTES))
                .build();
    }

    /** An instance's answer, read whole: any status, its content type and body. */
    public record Answer(int status, @Nullable MediaType contentType, byte[] body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean isProblem() {
            return contentType != null && MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(contentType);
        }

        /** JSON of any flavour ({@code application/json}, the actuator's own type), problems excluded. */
        public boolean isJson() {
            return contentType != null && !isProblem() && (contentType.getSubtype().equals("json")
                    || contentType.getSubtype().endsWith("+json"));
        }
    }

    /** {@code GET /actuator<path>}, bounded by {@code cluster.call-timeout}. */
    public Mono<Answer> get(ClusterInstance instance, String path, MediaType... accept) {
        return call(instance, HttpMethod.GET, path, null, callTimeout, accept);
    }

    /** {@code POST /actuator<path>} with a JSON body, bounded by {@code timeout}. */
    public Mono<Answer> post(ClusterInstance instance, String path, String json, Duration timeout) {
        return call(instance, HttpMethod.POST, path, json, timeout, MediaType.APPLICATION_JSON,
                MediaType.APPLICATION_PROBLEM_JSON);
    }

    /**
     * {@code GET /actuator<path>} of a file, streamed: the entity arrives within {@code cluster.call-timeout}, and
     * then no gap between two chunks may be longer. An error answer is read whole and signalled as
     * {@link ErrorAnswer}.
     */
    public Mono<ResponseEntity<Flux<DataBuffer>>> download(ClusterInstance instance, String path) {
        URI uri = uri(instance, path);
        return web.get().uri(uri)
                .accept(MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_PROBLEM_JSON, MediaType.APPLICATION_JSON)
                .retrieve()
                .onStatus(HttpStatusCode::isError, response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> new ErrorAnswer(new Answer(response.statusCode().value(),
                                response.headers().contentType().orElse(null), body))))
                .toEntityFlux(DataBuffer.class)
                .map(entity -> new ResponseEntity<>(entity.getBody() == null ? Flux.<DataBuffer>empty()
                        : entity.getBody().timeout(callTimeout), entity.getHeaders(), entity.getStatusCode()))
                .timeout(callTimeout)
                .onErrorMap(e -> !(e instanceof ErrorAnswer), e -> failure(instance, HttpMethod.GET, path, callTimeout, e));
    }

    /** An error status answered to a {@link #download}, with the answer read whole. */
    public static final class ErrorAnswer extends RuntimeException {

        private final transient Answer answer;

        ErrorAnswer(Answer answer) {
            super("answered " + answer.status(), null, false, false);
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }

    private Mono<Answer> call(ClusterInstance instance, HttpMethod method, String path, @Nullable String json,
                              Duration timeout, MediaType... accept) {
        WebClient.RequestBodySpec request = web.method(method).uri(uri(instance, path)).accept(accept);
        WebClient.RequestHeadersSpec<?> ready = json == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(json);
        return ready.exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> new Answer(response.statusCode().value(),
                                response.headers().contentType().orElse(null), body)))
                .timeout(timeout)
                .onErrorMap(e -> failure(instance, method, path, timeout, e));
    }

    /** {@code path} may end in a query; callers pass only characters that need no encoding (checked ids). */
    static URI uri(ClusterInstance instance, String path) {
        String host = instance.host().contains(":") && !instance.host().startsWith("[")
                ? "[" + instance.host() + "]" : instance.host();
        int query = path.indexOf('?');
        return UriComponentsBuilder.newInstance().scheme("http").host(host).port(instance.managementPort())
                .path(ACTUATOR + (query < 0 ? path : path.substring(0, query)))
                .query(query < 0 ? null : path.substring(query + 1))
                .build(true).toUri();
    }

    private static RejectedRequestException failure(ClusterInstance instance, HttpMethod method, String path,
                                                    Duration timeout, Throwable e) {
        String who = instance.service() + "/" + instance.node() + " (management port " + instance.host() + ":"
                + instance.managementPort() + ")";
        String call = method.name() + " " + ACTUATOR + path;
        if (e instanceof TimeoutException) {
            return RejectedRequestException.of(ProblemCode.INSTANCE_TIMEOUT, who + " did not answer " + call
                    + " within " + timeout.toMillis() + " ms.");
        }
        if (e instanceof WebClientRequestException) {
            return RejectedRequestException.of(ProblemCode.INSTANCE_UNREACHABLE, who + " is unreachable: "
                    + rootMessage(e) + ".");
        }
        return RejectedRequestException.of(ProblemCode.INSTANCE_ERROR, who + " failed to answer " + call + ": "
                + rootMessage(e) + ".");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
