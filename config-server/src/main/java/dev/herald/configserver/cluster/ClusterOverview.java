package dev.herald.configserver.cluster;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.configserver.cluster.ManagementClient.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the console's view of the cluster: for every registered instance, in parallel, its health, its pools and
 * its key metrics, each read from its management port within {@code cluster.call-timeout}. An instance that does
 * not answer is reported as {@link InstanceReport#UNREACHABLE}, never as a failure of the whole report.
 */
@Component
public final class ClusterOverview {

    private static final Logger log = LoggerFactory.getLogger(ClusterOverview.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Instances asked at once; three calls each. */
    private static final int CONCURRENCY = 32;
    private static final MediaType[] JSON_TYPES = {MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON};

    private final InstanceDirectory directory;
    private final ManagementClient management;

    public ClusterOverview(InstanceDirectory directory, ManagementClient management) {
        this.directory = directory;
        this.management = management;
    }

    public Mono<ClusterReport> report() {
        return directory.all().flatMap(instances -> {
            Instant checkedAt = Instant.now();
            return Flux.fromIterable(instances)
                    .flatMapSequential(this::inspect, CONCURRENCY)
                    .collectList()
                    .map(reports -> ClusterReport.of(checkedAt, reports));
        });
    }

    public Mono<InstanceReport> report(String service, String node) {
        return directory.find(service, node).flatMap(this::inspect);
    }

    /**
     * What one part of an instance's report holds, or why it is missing.
     *
     * @param reached whether the instance answered at all (a part may be missing from an answer)
     */
    private record Part<T>(@Nullable T value, @Nullable String problem, boolean reached) {

        static <T> Part<T> of(T value) {
            return new Part<>(value, null, true);
        }

        static <T> Part<T> failed(String problem) {
            return new Part<>(null, problem, true);
        }

        static <T> Part<T> unreachable(String problem) {
            return new Part<>(null, problem, false);
        }
    }

    private record Health(String status, Map<String, String> components) {
    }

    Mono<InstanceReport> inspect(ClusterInstance instance) {
        Mono<Part<Health>> health = read(instance, "/health", JSON_TYPES, answer -> health(instance, answer));
        Mono<Part<JsonNode>> pools = read(instance, "/pools", JSON_TYPES, answer -> pools(answer));
        Mono<Part<KeyMetrics>> metrics = read(instance, "/prometheus", new MediaType[] {MediaType.TEXT_PLAIN},
                answer -> metrics(answer));
        return Mono.zip(health, pools, metrics).map(parts -> {
            List<String> problems = new ArrayList<>();
            for (Part<?> part : List.of(parts.getT1(), parts.getT2(), parts.getT3())) {
                // An instance that is not reachable at all says so once, with the health check's reason.
                boolean sameCause = !part.reached() && !parts.getT1().reached() && part != parts.getT1();
                if (part.problem() != null && !sameCause) {
                    problems.add(part.problem());
                }
            }
            Health h = parts.getT1().value();
            String status = h != null ? h.status()
                    : parts.getT1().reached() ? InstanceReport.UNKNOWN : InstanceReport.UNREACHABLE;
            return InstanceReport.of(instance, status, h == null ? Map.of() : h.components(), parts.getT3().value(),
                    parts.getT2().value(), List.copyOf(problems));
        });
    }

    private <T> Mono<Part<T>> read(ClusterInstance instance, String path, MediaType[] accept,
                                   Function<Answer, Part<T>> interpret) {
        return management.get(instance, path, accept)
                .map(answer -> {
                    if (answer.isProblem() || (!answer.ok() && !path.equals("/health"))) {
                        return Part.<T>failed(path.substring(1) + ": answered " + answer.status() + detail(answer));
                    }
                    return interpret.apply(answer);
                })
                .onErrorResume(e -> {
                    log.debug("{}/{}: {} failed: {}", instance.service(), instance.node(), path, e.getMessage());
                    return Mono.just(Part.unreachable(path.substring(1) + ": " + e.getMessage()));
                });
    }

    /** A health document comes with 200 (UP) or 503 (DOWN, OUT_OF_SERVICE). */
    private static Part<Health> health(ClusterInstance instance, Answer answer) {
        JsonNode document = json(answer);
        if (document == null || !document.path("status").isString()) {
            return Part.failed("health: answered " + answer.status() + " without a health document");
        }
        Map<String, String> components = new LinkedHashMap<>();
        document.path("components").properties().forEach(component ->
                components.put(component.getKey(), component.getValue().path("status").asString("UNKNOWN")));
        String status = document.path("status").asString();
        if (!InstanceReport.UP.equals(status)) {
            log.debug("{}/{} is {}: {}", instance.service(), instance.node(), status, components);
        }
        return Part.of(new Health(status, components));
    }

    private static Part<JsonNode> pools(Answer answer) {
        JsonNode document = json(answer);
        if (document == null || !document.path("pools").isArray()) {
            return Part.failed("pools: answered " + answer.status() + " without a pools report");
        }
        return Part.of(document.path("pools"));
    }

    private static Part<KeyMetrics> metrics(Answer answer) {
        return Part.of(KeyMetrics.from(PrometheusText.parse(new String(answer.body(), StandardCharsets.UTF_8))));
    }

    private static @Nullable JsonNode json(Answer answer) {
        if (!answer.isJson()) {
            return null;
        }
        try {
            return JSON.readTree(answer.body());
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String detail(Answer answer) {
        if (!answer.isProblem()) {
            return "";
        }
        try {
            String detail = JSON.readTree(answer.body()).path("detail").asString("");
            return detail.isEmpty() ? "" : " (" + detail + ")";
        } catch (JacksonException e) {
            return "";
        }
    }
}
