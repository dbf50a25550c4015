package dev.herald.dispatcher.uplink;

import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An app server's callback endpoint, for tests: a real HTTP server on a free port that records every
 * request and answers with the status configured for its path (by the request's number on that path).
 */
final class CallbackReceiver implements AutoCloseable {

    /** One request as received: headers and the raw body bytes the signature covers. */
    record Request(String path, HttpHeaders headers, byte[] body, int status) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final LoopResources loops = LoopResources.create("callback-receiver", 1, true);
    private final DisposableServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, IntUnaryOperator> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    CallbackReceiver() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle((request, response) -> request.receive().aggregate().asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
                            int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                            int status = answers.getOrDefault(path, i -> 200).applyAsInt(n);
                            requests.add(new Request(path, request.requestHeaders().copy(), body, status));
                            return response.status(status).sendString(Mono.just(status >= 300 ? "failed" : "ok")).then();
                        }))
                .bindNow(Duration.ofSeconds(5));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    /** The status for the n-th request (from 1) on {@code path}; 200 unless set. */
    void answer(String path, IntUnaryOperator statusOfRequestNumber) {
        answers.put(path, statusOfRequestNumber);
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
    }
}
