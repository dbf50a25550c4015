package dev.herald.access;

import dev.herald.core.offline.OfflineApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the saver's backlog fetch: answers with canned backlogs (or late, or with 503) and records the
 * requests. ACKs do not come here: the node records them in Redis itself (offline-store library). The real
 * saver is proven by its own module and the end-to-end suite.
 */
final class StubSaver implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, List<OfflineApi.OfflineMessage>> backlogs = new ConcurrentHashMap<>();
    final List<OfflineApi.FetchRequest> fetches = new CopyOnWriteArrayList<>();
    // Own event loops: a closing Spring context disposes Reactor Netty's global ones.
    private final LoopResources loops = LoopResources.create("stub-saver", 1, true);
    private final DisposableServer server;
    private volatile CompletableFuture<Void> fetchGate = CompletableFuture.completedFuture(null);
    private volatile boolean failFetches;

    private StubSaver() {
        server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes
                        .post(OfflineApi.FETCH_PATH, (request, response) -> request.receive().aggregate().asString()
                                .map(body -> json.writeValueAsString(answer(json.readValue(body, OfflineApi.FetchRequest.class))))
                                .delayUntil(body -> Mono.fromFuture(fetchGate))
                                .flatMap(body -> failFetches
                                        ? response.status(503).send().then()
                                        : response.header("Content-Type", "application/json")
                                                .sendString(Mono.just(body)).then())))
                .bindNow();
    }

    static StubSaver start() {
        return new StubSaver();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Fetches are answered only after {@link #releaseFetches()} (their backlog is read when they arrive). */
    void holdFetches() {
        fetchGate = new CompletableFuture<>();
    }

    void releaseFetches() {
        fetchGate.complete(null);
    }

    /** Fetches are answered 503 while {@code fail}. */
    void failFetches(boolean fail) {
        this.failFetches = fail;
    }

    void backlog(String appId, String deviceId, List<OfflineApi.OfflineMessage> messages) {
        backlogs.put(appId + "/" + deviceId, List.copyOf(messages));
    }

    private OfflineApi.FetchResponse answer(OfflineApi.FetchRequest request) {
        fetches.add(request);
        List<OfflineApi.Backlog> answer = new ArrayList<>();
        for (OfflineApi.DeviceCursor device : request.devices()) {
            answer.add(new OfflineApi.Backlog(device.appId(), device.deviceId(),
                    backlogs.getOrDefault(device.appId() + "/" + device.deviceId(), List.of())));
        }
        return new OfflineApi.FetchResponse(answer);
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    }
}
