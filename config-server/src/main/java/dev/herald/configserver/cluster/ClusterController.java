package dev.herald.configserver.cluster;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.configserver.ConfigServerProperties;
import dev.herald.configserver.OpenApiConfig;
import dev.herald.configserver.cluster.ManagementClient.Answer;
import dev.herald.configserver.cluster.ManagementClient.ErrorAnswer;
import dev.herald.configserver.problem.FieldProblem;
import dev.herald.configserver.problem.ProblemCode;
import dev.herald.core.app.Ids;
import dev.herald.web.problem.RejectedRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The cluster API behind the ops console: every registered instance with its health, key metrics and pools,
 * and each instance's management endpoints relayed (health, pools, profiling history). The config-server calls
 * the instances' management ports; callers only need the admin token. An instance's own problem answers
 * (a snapshot that does not exist, a profiler already recording) are passed on unchanged.
 */
@RestController
@Tag(name = "Cluster", description = "The running instances: health, metrics, client pools, profiling snapshots.")
@SecurityRequirement(name = OpenApiConfig.SECURITY_SCHEME)
public final class ClusterController {

    public static final String CLUSTER_PREFIX = "/admin/v1/cluster";
    private static final String INSTANCE = CLUSTER_PREFIX + "/{service}/{node}";
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_CAPTURE_SECONDS = 3600;
    private static final MediaType[] JSON_TYPES = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON};
    private static final String SERVICE_DESCRIPTION = "The service (`spring.application.name`), e.g. `access-service`";
    private static final String NODE_DESCRIPTION = "The instance's node id, e.g. `access-1`";

    private final InstanceDirectory directory;
    private final ClusterOverview overview;
    private final ManagementClient management;
    private final Duration captureSlack;

    public ClusterController(InstanceDirectory directory, ClusterOverview overview, ManagementClient management,
                             ConfigServerProperties properties) {
        this.directory = directory;
        this.overview = overview;
        this.management = management;
        this.captureSlack = properties.cluster().captureSlack();
    }

    @GetMapping(CLUSTER_PREFIX)
    @Operation(operationId = "getCluster", summary = "The whole cluster",
            description = "Every registered instance, grouped by cell and service, with its health (`UNREACHABLE` when "
                    + "its management port does not answer), key metrics and client pools. Never fails because an "
                    + "instance does: what could not be read is listed in the instance's `problems`.")
    public Mono<ClusterReport> cluster() {
        return overview.report();
    }

    @GetMapping(INSTANCE)
    @Operation(operationId = "getInstance", summary = "One instance, as in the cluster report")
    public Mono<InstanceReport> instance(@Parameter(description = SERVICE_DESCRIPTION) @PathVariable String service,
                                         @Parameter(description = NODE_DESCRIPTION) @PathVariable String node) {
        requireIds(service, node);
        return overview.report(service, node);
    }

    @GetMapping(INSTANCE + "/health")
    @Operation(operationId = "getInstanceHealth", summary = "The instance's health document",
            description = "Its `/actuator/health` with every component, answered with 200 whether it is UP or DOWN.")
    public Mono<ResponseEntity<byte[]>> health(@PathVariable String service, @PathVariable String node) {
        return relay(service, node, "/health", true);
    }

    @GetMapping(INSTANCE + "/pools")
    @Operation(operationId = "getInstancePools", summary = "The instance's client pools",
            description = "Its `/actuator/pools`: idle, active, created, create failures, acquire time-outs, call "
                    + "errors, idle time-outs and QPS of every pool.")
    public Mono<ResponseEntity<byte[]>> pools(@PathVariable String service, @PathVariable String node) {
        return relay(service, node, "/pools", false);
    }

    @GetMapping(INSTANCE + "/profiles")
    @Operation(operationId = "listProfiles", summary = "The instance's profiling snapshots",
            description = "Its schedule, the recording in progress and its kept snapshots, newest first.")
    public Mono<ResponseEntity<byte[]>> profiles(@PathVariable String service, @PathVariable String node) {
        return relay(service, node, "/profiles", false);
    }

    @PostMapping(path = INSTANCE + "/profiles", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "captureProfile", summary = "Record a snapshot now",
            description = "Records a Java Flight Recorder snapshot of `durationSeconds` and answers with it when it is "
                    + "kept. 409 `PROFILER_BUSY` while another recording runs on the instance.")
    public Mono<ResponseEntity<byte[]>> capture(@PathVariable String service, @PathVariable String node,
                                                @RequestBody CaptureRequest request) {
        requireIds(service, node);
        Integer seconds = request.durationSeconds();
        if (seconds == null || seconds < 1 || seconds > MAX_CAPTURE_SECONDS) {
            throw FieldProblem.rejection(List.of(new FieldProblem("durationSeconds", ProblemCode.INVALID_REQUEST,
                    "durationSeconds must be a whole number from 1 to " + MAX_CAPTURE_SECONDS + ".")));
        }
        Duration timeout = Duration.ofSeconds(seconds).plus(captureSlack);
        return directory.find(service, node).flatMap(instance -> management
                .post(instance, "/profiles", "{\"durationSeconds\":" + seconds + "}", timeout)
                .map(answer -> relay(instance, "POST /profiles", answer, false)));
    }

    @GetMapping(INSTANCE + "/profiles/diff")
    @Operation(operationId = "diffProfiles", summary = "How snapshot `to` differs from snapshot `from`",
            description = "Changes of the shares of CPU methods, allocation sites and classes, of the allocation rate, "
                    + "GC pauses, heap after GC and CPU load.")
    public Mono<ResponseEntity<byte[]>> diff(@PathVariable String service, @PathVariable String node,
                                             @RequestParam(name = "from", required = false) String from,
                                             @RequestParam(name = "to", required = false) String to) {
        List<FieldProblem> problems = new ArrayList<>();
        checkSnapshotId("from", from, problems);
        checkSnapshotId("to", to, problems);
        if (!problems.isEmpty()) {
            throw FieldProblem.rejection(problems);
        }
        return relay(service, node, "/profiles/diff?from=" + from + "&to=" + to, false);
    }

    @GetMapping(INSTANCE + "/profiles/{id}/summary")
    @Operation(operationId = "getProfileSummary", summary = "A snapshot's summary",
            description = "Top CPU methods, top allocation sites and classes, GC pauses, heap after GC, CPU load, threads.")
    public Mono<ResponseEntity<byte[]>> summary(@PathVariable String service, @PathVariable String node,
                                                @PathVariable String id) {
        requireSnapshotId(id);
        return relay(service, node, "/profiles/" + id + "/summary", false);
    }

    @GetMapping(INSTANCE + "/profiles/{id}")
    @Operation(operationId = "downloadProfile", summary = "Download a snapshot's .jfr file",
            description = "For JDK Mission Control or `jfr print`; streamed from the instance.")
    public Mono<ResponseEntity<Flux<DataBuffer>>> download(@PathVariable String service, @PathVariable String node,
                                                           @PathVariable String id) {
        requireIds(service, node);
        requireSnapshotId(id);
        return directory.find(service, node).flatMap(instance -> management.download(instance, "/profiles/" + id)
                .map(entity -> {
                    HttpHeaders headers = new HttpHeaders();
                    headers.setContentType(MediaType.APPLICATION_OCTET_STREAM);
                    headers.setContentDisposition(ContentDisposition.attachment()
                            .filename(service + "-" + node + "-" + id + ".jfr").build());
                    if (entity.getHeaders().getContentLength() >= 0) {
                        headers.setContentLength(entity.getHeaders().getContentLength());
                    }
                    return new ResponseEntity<>(entity.getBody(), headers, entity.getStatusCode());
                })
                .onErrorResume(ErrorAnswer.class, error -> {
                    ResponseEntity<byte[]> relayed = relay(instance, "GET /profiles/" + id, error.answer(), false);
                    Flux<DataBuffer> body = Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(relayed.getBody()));
                    return Mono.just(new ResponseEntity<>(body, relayed.getHeaders(), relayed.getStatusCode()));
                }));
    }

    private Mono<ResponseEntity<byte[]>> relay(String service, String node, String path, boolean health) {
        requireIds(service, node);
        return directory.find(service, node).flatMap(instance -> management.get(instance, path, JSON_TYPES)
                .map(answer -> relay(instance, "GET " + path, answer, health)));
    }

    /**
     * Passes on JSON answers and the instance's problem documents as they are; anything else becomes a problem
     * naming the instance. A health document is JSON with 200 (UP) or 503 (DOWN): both are answered with 200
     * here, because this request succeeded.
     */
    private static ResponseEntity<byte[]> relay(ClusterInstance instance, String call, Answer answer, boolean health) {
        if (answer.isProblem()) {
            return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(answer.body());
        }
        if (answer.isJson() && (answer.ok() || (health && answer.status() == 503))) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer.body());
        }
        String who = instance.service() + "/" + instance.node();
        if (answer.status() == 404) {
            throw RejectedRequestException.of(ProblemCode.NOT_FOUND, who + " has no " + ManagementClient.ACTUATOR
                    + call.substring(call.indexOf(' ') + 1) + ": is the endpoint enabled and exposed on its management "
                    + "port (management.endpoints.web.exposure.include)?");
        }
        throw RejectedRequestException.of(ProblemCode.INSTANCE_ERROR, who + " answered " + answer.status()
                + (answer.contentType() == null ? "" : " (" + answer.contentType() + ")") + " to " + call + ".");
    }

    private static void requireIds(String service, String node) {
        List<FieldProblem> problems = new ArrayList<>();
        if (!Ids.isAppId(service)) {
            problems.add(new FieldProblem("service", ProblemCode.INVALID_REQUEST,
                    "service must be 1 to 64 characters of [A-Za-z0-9._-]."));
        }
        if (!Ids.isAppId(node)) {
            problems.add(new FieldProblem("node", ProblemCode.INVALID_REQUEST,
                    "node must be 1 to 64 characters of [A-Za-z0-9._-]."));
        }
        if (!problems.isEmpty()) {
            throw FieldProblem.rejection(problems);
        }
    }

    private static void requireSnapshotId(String id) {
        List<FieldProblem> problems = new ArrayList<>();
        checkSnapshotId("id", id, problems);
        if (!problems.isEmpty()) {
            throw FieldProblem.rejection(problems);
        }
    }

    private static void checkSnapshotId(String field, String id, List<FieldProblem> problems) {
        if (id == null || !SNAPSHOT_ID.matcher(id).matches()) {
            problems.add(new FieldProblem(field, ProblemCode.INVALID_REQUEST, field + " must be a snapshot id "
                    + "(GET .../profiles lists them)" + (id == null ? "; it is missing." : ".")));
        }
    }
}
