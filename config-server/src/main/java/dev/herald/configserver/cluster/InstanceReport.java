package dev.herald.configserver.cluster;

import dev.herald.config.nodes.ClusterInstance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One instance as the console shows it: its registration, then what its management port answered just now.
 * A part that could not be read is null, and {@code problems} says why; the report itself never fails.
 *
 * @param status     the instance's health ({@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}, {@code UNKNOWN}), or
 *                   {@code UNREACHABLE} when its management port did not answer, {@code UNKNOWN} when it answered
 *                   without a health document
 * @param components status of each health component ({@code redis}, {@code zookeeper}, ...)
 * @param metrics    key figures from its Prometheus metrics
 * @param pools      its client pools as {@code /actuator/pools} lists them (idle, active, created, create failures,
 *                   acquire time-outs, call errors, idle time-outs, QPS)
 * @param problems   what could not be read, one sentence each
 */
public record InstanceReport(String service, String node, String cell, String host, int port, int managementPort,
                             Instant startedAt, String status, Map<String, String> components,
                             @Nullable KeyMetrics metrics, @Nullable JsonNode pools, List<String> problems) {

    public static final String UNREACHABLE = "UNREACHABLE";
    public static final String UP = "UP";
    /** The management port answered, but not with a health document. */
    public static final String UNKNOWN = "UNKNOWN";

    static InstanceReport of(ClusterInstance instance, String status, Map<String, String> components,
                             @Nullable KeyMetrics metrics, @Nullable JsonNode pools, List<String> problems) {
        return new InstanceReport(instance.service(), instance.node(), instance.cell(), instance.host(), instance.port(),
                instance.managementPort(), instance.startedAt(), status, components, metrics, pools, problems);
    }
}
