package dev.herald.api.room;

import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.DependencyUnavailableException;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.room.RoomApi;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpPoolSettings;
import dev.herald.web.problem.RejectedRequestException;
import java.util.Map;
import java.util.function.Function;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;

/**
 * push-api's client of the chatroom-service's internal API ({@link RoomApi}), on a connection pool of its own. A 404 there is a 404 here
 * ({@code NOT_FOUND}); no answer, an error or a timeout is a 503 ({@code UNAVAILABLE}, retry later). Requests are
 * validated before they get here, so a 400 from the chatroom-service is a bug and answered 500.
 */
@Component
final class ChatroomClient {

    private final WebClient web;
    private final PushApiProperties properties;

    /** Room calls are small and short: a modest pool carries them ({@code chatroom} in {@code /actuator/pools}). */
    static final int MAX_CONNECTIONS = 64;

    ChatroomClient(PushApiProperties properties, ClientPools pools, ServiceKey serviceKey) {
        // Boot 4 auto-configures no WebClient.Builder here; the client is built directly.
        var pool = pools.http("chatroom", HttpPoolSettings.of(MAX_CONNECTIONS, properties.chatroomTimeout()));
        this.web = serviceKey.authenticate(WebClient.builder())
                .clientConnector(new ReactorClientHttpConnector(pool.httpClient()))
                .baseUrl(properties.chatroomUrl()).build();
        this.properties = properties;
    }

    <T> Mono<T> get(String path, Map<String, ?> variables, Map<String, Object> query, Class<T> type, String notFound) {
        return call(web.get().uri(uri(path, variables, query)).exchangeToMono(answer(type, notFound)));
    }

    <T> Mono<T> send(org.springframework.http.HttpMethod method, String path, Map<String, ?> variables, Object body,
                     Class<T> type, String notFound) {
        WebClient.RequestBodySpec request = web.method(method).uri(uri(path, variables, Map.of()));
        WebClient.RequestHeadersSpec<?> spec = body == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
        return call(spec.exchangeToMono(answer(type, notFound)));
    }

    private static Function<UriBuilder, java.net.URI> uri(String path, Map<String, ?> variables, Map<String, Object> query) {
        return builder -> {
            UriBuilder b = builder.path(path);
            query.forEach((name, value) -> {
                if (value != null) {
                    b.queryParam(name, value);
                }
            });
            return b.build(variables);
        };
    }

    private static <T> Function<ClientResponse, Mono<T>> answer(Class<T> type, String notFound) {
        return response -> {
            HttpStatusCode status = response.statusCode();
            if (status.is2xxSuccessful()) {
                return type == Void.class ? response.releaseBody().then(Mono.empty()) : response.bodyToMono(type);
            }
            if (status.value() == 404 && notFound != null) {
                return response.releaseBody().then(Mono.error(RejectedRequestException.of(ProblemCode.NOT_FOUND, notFound)));
            }
            return response.bodyToMono(String.class).defaultIfEmpty("").flatMap(body -> Mono.error(status.is5xxServerError()
                    ? new DependencyUnavailableException("The chatroom service failed (" + status.value()
                            + "); nothing was done. Retry after a short delay.", null)
                    : new IllegalStateException("chatroom-service answered " + status.value() + ": " + body)));
        };
    }

    private <T> Mono<T> call(Mono<T> call) {
        return call.timeout(properties.chatroomTimeout())
                .onErrorMap(error -> error instanceof WebClientRequestException
                                || error instanceof java.util.concurrent.TimeoutException,
                        error -> new DependencyUnavailableException("The chatroom service did not answer within "
                                + properties.chatroomTimeout().toMillis() + " ms; the request may not have been carried "
                                + "out. Retry after a short delay.", error));
    }
}
