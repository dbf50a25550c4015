package dev.herald.configserver.cluster;

import java.util.Map;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The numbers the console shows on an instance's card, taken from its {@code /actuator/prometheus}; each is
 * null when the instance does not report it ({@code connections} exists on access nodes only).
 *
 * @param connections      devices connected (access nodes: {@code herald_access_connections}, all series summed)
 * @param cpuPercent       the JVM's recent CPU use, percent of the machine ({@code process_cpu_usage})
 * @param heapUsedBytes    heap in use ({@code jvm_memory_used_bytes{area="heap"}})
 * @param heapMaxBytes     heap limit ({@code jvm_memory_max_bytes{area="heap"}}), null when a pool has none
 * @param liveThreads      live Java threads ({@code jvm_threads_live_threads})
 * @param uptimeSeconds    since the JVM started ({@code process_uptime_seconds})
 * @param gcPauseMaxMillis the longest recent GC pause ({@code jvm_gc_pause_seconds_max}, over all collectors)
 */
public record KeyMetrics(@Nullable Double connections, @Nullable Double cpuPercent, @Nullable Double heapUsedBytes,
                         @Nullable Double heapMaxBytes, @Nullable Double liveThreads, @Nullable Double uptimeSeconds,
                         @Nullable Double gcPauseMaxMillis) {

    private static final Map<String, String> HEAP = Map.of("area", "heap");

    static KeyMetrics from(PrometheusText metrics) {
        return new KeyMetrics(
                value(metrics.sum("herald_access_connections")),
                scaled(metrics.sum("process_cpu_usage"), 100),
                value(metrics.sum("jvm_memory_used_bytes", HEAP)),
                metrics.anyNegative("jvm_memory_max_bytes", HEAP) ? null : value(metrics.sum("jvm_memory_max_bytes", HEAP)),
                value(metrics.sum("jvm_threads_live_threads")),
                value(metrics.sum("process_uptime_seconds")),
                scaled(metrics.max("jvm_gc_pause_seconds_max"), 1000));
    }

    private static @Nullable Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static @Nullable Double scaled(OptionalDouble value, double factor) {
        return value.isPresent() ? round(value.getAsDouble() * factor) : null;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
