package dev.herald.bench.scenario;

/**
 * The access node whose memory the connect scenario reports.
 *
 * @param metricsUrl base URL of its management port ({@code http://127.0.0.1:9084}); empty = not measured
 * @param pid its process id on this machine for RSS and a full GC before each reading; 0 = unknown
 */
public record NodeSpec(String metricsUrl, long pid) {

    public boolean measured() {
        return (metricsUrl != null && !metricsUrl.isBlank()) || pid > 0;
    }
}
