package dev.herald.core.offline;

import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Client of the saver's internal API, used by the dispatcher (store) and access nodes (fetch, ack).
 * Each call is one HTTP request for a whole batch.
 */
public final class SaverClient {

    private final WebClient web;
    private final Duration timeout;

    public SaverClient(WebClient.Builder builder, String baseUrl, Duration timeout) {
        this.web = builder.clone().baseUrl(baseUrl)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .build();
        this.timeout = timeout;
    }

    public Mono<OfflineApi.StoreResponse> store(OfflineApi.StoreRequest request) {
        return post(OfflineApi.STORE_PATH, request, OfflineApi.StoreResponse.class);
    }

    public Mono<OfflineApi.FetchResponse> fetch(OfflineApi.FetchRequest request) {
        return post(OfflineApi.FETCH_PATH, request, OfflineApi.FetchResponse.class);
    }

    public Mono<Void> ack(OfflineApi.AckRequest request) {
        return post(OfflineApi.ACK_PATH, request, Void.class).then();
    }

    private <T> Mono<T> post(String path, Object body, Class<T> type) {
        return web.post().uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .retrieve()
                .bodyToMono(type)
                .timeout(timeout);
    }
}
