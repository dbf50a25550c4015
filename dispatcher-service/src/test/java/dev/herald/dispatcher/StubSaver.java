package dev.herald.dispatcher;

import dev.herald.core.offline.OfflineApi;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for the saver's store endpoint: records every request, assigns broadcast seqs, and can be
 * told to fail (503) or to hold its answers until released. The real saver is proven in e2e-tests.
 */
public final class StubSaver implements AutoCloseable {

    private final JsonMapper json = JsonMapper.builder().build();
    private final List<OfflineApi.StoreRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong broadcastSeq = new AtomicLong();
    private final Map<String, Long> assignedSeqs = new ConcurrentHashMap<>();
    private volatile boolean failing;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    // Own event loops: a closing Spring context disposes Reactor Netty's global ones.
    private final LoopResources loops = LoopResources.create("stub-saver", 1, true);
    private final DisposableServer server;

    private StubSaver() {
        server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes.post(OfflineApi.STORE_PATH, this::store))
                .bindNow();
    }

    public static StubSaver start() {
        return new StubSaver();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    private Publisher<Void> store(HttpServerRequest request, HttpServerResponse response) {
        return request.receive().aggregate().asString().flatMap(body -> {
            OfflineApi.StoreRequest store = json.readValue(body, OfflineApi.StoreRequest.class);
            if (failing) {
                failures.incrementAndGet();
                return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send().then();
            }
            requests.add(store);
            List<OfflineApi.Stored> stored = new ArrayList<>();
            for (OfflineApi.StoreEntry entry : store.entries()) {
                long seq = entry.broadcast() ? broadcastSeq.incrementAndGet() : 0;
                if (seq > 0) {
                    assignedSeqs.put(entry.messageId(), seq);
                }
                stored.add(new OfflineApi.Stored(entry.messageId(), seq));
            }
            String answer = json.writeValueAsString(new OfflineApi.StoreResponse(stored));
            return Mono.fromFuture(gate, true).then(Mono.defer(() -> response
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .sendString(Mono.just(answer)).then()));
        });
    }

    /** Answers 503 to every store request while on; the requests are counted in {@link #failures()}. */
    public void failing(boolean on) {
        failing = on;
    }

    /** Stores but keeps the answers back until {@link #release()}. */
    public void hold() {
        gate = new CompletableFuture<>();
    }

    public void release() {
        gate.complete(null);
    }

    public int failures() {
        return failures.get();
    }

    /** Entries of answered-or-held requests for one message. */
    public List<OfflineApi.StoreEntry> entriesFor(String messageId) {
        return requests.stream().flatMap(r -> r.entries().stream())
                .filter(e -> e.messageId().equals(messageId)).toList();
    }

    /** The seq assigned to a stored broadcast, 0 if none was stored. */
    public long broadcastSeqOf(String messageId) {
        return assignedSeqs.getOrDefault(messageId, 0L);
    }

    public void reset() {
        failing = false;
        release();
        gate = CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        release();
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
    }
}
