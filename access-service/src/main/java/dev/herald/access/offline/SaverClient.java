package dev.herald.access.offline;

import dev.herald.core.offline.OfflineApi;

import java.time.Duration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Client of the saver's internal API, used by access nodes to fetch reconnecting devices' backlogs, one HTTP
 * request per batch. Storing and ACKs need no call: the dispatcher and access nodes run the saver's
 * {@code offline-store} library in their own Redis pipelines.
 */
final class SaverClient {

    private final WebClient web;
    private final Duration timeout;

    public SaverClient(WebClient.Builder builder, String baseUrl, Duration timeout) {
        this.web = builder.clone().baseUrl(baseUrl)
                .codecs(c -> c.defaultCodecs().maxInMemorySize(64 * 1024 * 1024))
                .build();
        this.timeout = timeout;
    }

    public Mono<OfflineApi.FetchResponse> fetch(OfflineApi.FetchRequest request) {
        return post(OfflineApi.FETCH_PATH, request, OfflineApi.FetchResponse.class);
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
