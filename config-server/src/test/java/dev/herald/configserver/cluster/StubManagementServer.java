package dev.herald.configserver.cluster;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * Stands in for a service's management port: answers {@code /actuator/health}, {@code pools},
 * {@code prometheus} and {@code profiles} the way ops-support's endpoints do, records what it was asked, and
 * can be made sick (DOWN), slow or busy. The real endpoints are proven in ops-support and in e2e-tests.
 */
final class StubManagementServer implements AutoCloseable {

    static final String SNAPSHOT_1 = "20261125T100000000Z-scheduled";
    static final String SNAPSHOT_2 = "20261125T110000000Z-on-demand";
    static final byte[] JFR = "FLR\0 a flight recording".getBytes(StandardCharsets.ISO_8859_1);

    private static final String POOLS = """
            {"service":"%s","node":"%s","cell":"default","pools":[
             {"pool":"redis","kind":"redis","target":"127.0.0.1:6379","idle":1,"active":2,"created":3,"createFailures":4,
              "acquireTimeouts":5,"callErrors":6,"idleTimeouts":7,"qps":8.5,"calls":900},
             {"pool":"zookeeper","kind":"zookeeper","target":"127.0.0.1:2181","idle":0,"active":1,"created":1,
              "createFailures":0,"acquireTimeouts":0,"callErrors":0,"idleTimeouts":0,"qps":0.2,"calls":12}]}""";
    private static final String PROMETHEUS = """
            # HELP herald_access_connections Connections that completed their handshake
            # TYPE herald_access_connections gauge
            herald_access_connections{cell="default",node="access-1",protocol="native",service="access-service"} 2.0
            herald_access_connections{cell="default",node="access-1",protocol="mqtt",service="access-service"} 1.0
            herald_access_connections_blocked_total{cell="default"} 40.0
            process_cpu_usage{cell="default"} 0.125
            jvm_memory_used_bytes{area="heap",id="eden space"} 1048576.0
            jvm_memory_used_bytes{area="heap",id="tenured gen"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999999.0
            jvm_memory_max_bytes{area="heap",id="eden space"} 4194304.0
            jvm_memory_max_bytes{area="heap",id="tenured gen"} 8388608.0
            jvm_threads_live_threads 42.0
            process_uptime_seconds 3725.5
            jvm_gc_pause_seconds_max{action="end of minor GC",cause="Allocation Failure",gc="Copy"} 0.0125
            jvm_gc_pause_seconds_max{action="end of major GC",cause="System.gc()",gc="MarkSweepCompact"} 0.031
            """;

    private final String service;
    private final String node;
    private final LoopResources loops;
    private final DisposableServer server;
    private final List<String> captures = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile String health = "UP";
    private volatile boolean busy;
    private volatile boolean profiles = true;
    private volatile Duration delay = Duration.ZERO;

    /** Own event loops: a closing Spring context disposes Reactor Netty's global ones. */
    StubManagementServer(String service, String node) {
        this.service = service;
        this.node = node;
        this.loops = LoopResources.create("stub-management-" + node, 1, true);
        this.server = HttpServer.create().host("127.0.0.1").port(0).runOn(loops)
                .route(routes -> routes.route(request -> true, this::answer))
                .bindNow();
    }

    int port() {
        return server.port();
    }

    /** Health turns DOWN with its {@code redis} component; 503 as Spring Boot answers. */
    void down() {
        health = "DOWN";
    }

    /** As with {@code herald.ops.profiling.enabled=false}: {@code /actuator/profiles} does not exist. */
    void withoutProfiles() {
        profiles = false;
    }

    void busy(boolean on) {
        busy = on;
    }

    void delay(Duration by) {
        delay = by;
    }

    /** The bodies of the capture requests received. */
    List<String> captures() {
        return captures;
    }

    /** Every path and query asked for. */
    List<String> paths() {
        return paths;
    }

    private Publisher<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        paths.add(request.uri());
        Mono<Void> answer = request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> route(request, response, path, uri.parameters(), body));
        return delay.isZero() ? answer : Mono.delay(delay).then(answer);
    }

    private Mono<Void> route(HttpServerRequest request, HttpServerResponse response, String path,
                             Map<String, List<String>> query, String body) {
        boolean post = request.method().name().equals("POST");
        if (path.equals("/actuator/health")) {
            boolean up = health.equals("UP");
            return json(response, up ? 200 : 503, """
                    {"status":"%s","components":{"diskSpace":{"status":"UP"},"redis":{"status":"%s"}},
                     "groups":["liveness","readiness"]}""".formatted(health, health));
        }
        if (path.equals("/actuator/pools")) {
            return json(response, 200, POOLS.formatted(service, node));
        }
        if (path.equals("/actuator/prometheus")) {
            return response.status(200).header(HttpHeaderNames.CONTENT_TYPE, "text/plain;version=0.0.4;charset=utf-8")
                    .sendString(Mono.just(PROMETHEUS)).then();
        }
        if (path.startsWith("/actuator/profiles") && !profiles) {
            return json(response, 404, "{\"status\":404,\"error\":\"Not Found\",\"path\":\"" + path + "\"}");
        }
        if (path.equals("/actuator/profiles") && post) {
            captures.add(body);
            if (busy) {
                return problem(response, 409, "PROFILER_BUSY", "a snapshot is being recorded; try again when it ends");
            }
            return json(response, 200, snapshot(SNAPSHOT_2));
        }
        if (path.equals("/actuator/profiles")) {
            return json(response, 200, """
                    {"service":"%s","node":"%s","interval":"PT1H","duration":"PT1M","maxDuration":"PT5M",
                     "recording":null,"snapshots":[%s,%s]}""".formatted(service, node, snapshot(SNAPSHOT_2),
                    snapshot(SNAPSHOT_1)));
        }
        if (path.equals("/actuator/profiles/diff")) {
            return json(response, 200, """
                    {"from":%s,"to":%s,"cpu":[{"name":"a.B.c","fromPercent":3.0,"toPercent":12.0,"delta":9.0}],
                     "allocationSites":[],"allocatedClasses":[],"allocationRateDelta":1.5,"gcPauseMillisDelta":0.0,
                     "maxPauseMillisDelta":0.0,"heapAfterGcDelta":1024,"cpuLoadDelta":2.5}"""
                    .formatted(snapshot(query.get("from").get(0)), snapshot(query.get("to").get(0))));
        }
        if (path.startsWith("/actuator/profiles/")) {
            String[] parts = path.substring("/actuator/profiles/".length()).split("/");
            if (!parts[0].equals(SNAPSHOT_1) && !parts[0].equals(SNAPSHOT_2)) {
                return problem(response, 404, "NOT_FOUND", "no snapshot " + parts[0] + " in the history");
            }
            if (parts.length == 2 && parts[1].equals("summary")) {
                return json(response, 200, """
                        {"snapshot":%s,"executionSamples":500,"topCpuMethods":[{"method":"a.B.c","samples":60,"percent":12.0}],
                         "allocatedBytes":1048576,"topAllocationSites":[],"topAllocatedClasses":[],
                         "gc":{"collections":1,"totalPauseMillis":3.0,"maxPauseMillis":3.0,"collectors":[]},
                         "heapAfterGc":{"minBytes":1,"maxBytes":2,"lastBytes":2},"cpu":{"jvmPercent":5.0,"machinePercent":9.0},
                         "threads":{"peak":30,"last":29}}""".formatted(snapshot(parts[0])));
            }
            return response.status(200).header(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream")
                    .header(HttpHeaderNames.CONTENT_LENGTH, String.valueOf(JFR.length))
                    .sendByteArray(Mono.just(JFR)).then();
        }
        return json(response, 404, "{\"timestamp\":\"2026-11-25T10:00:00Z\",\"path\":\"" + path
                + "\",\"status\":404,\"error\":\"Not Found\"}");
    }

    private static String snapshot(String id) {
        return """
                {"id":"%s","trigger":"%s","startedAt":"2026-11-25T10:00:00Z","endedAt":"2026-11-25T10:01:00Z",
                 "durationMillis":60000,"bytes":%d}""".formatted(id, id.substring(id.indexOf('-') + 1), JFR.length);
    }

    private static Mono<Void> json(HttpServerResponse response, int status, String body) {
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .sendString(Mono.just(body)).then();
    }

    private static Mono<Void> problem(HttpServerResponse response, int status, String code, String detail) {
        return response.status(HttpResponseStatus.valueOf(status))
                .header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .sendString(Mono.just("{\"type\":\"urn:herald:problem:" + code.toLowerCase().replace('_', '-')
                        + "\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\"" + detail + "\",\"code\":\"" + code
                        + "\"}"))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(6));
    }
}
