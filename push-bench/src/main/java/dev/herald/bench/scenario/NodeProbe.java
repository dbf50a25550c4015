package dev.herald.bench.scenario;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an access node's memory: heap used and connection count from its {@code /actuator/prometheus}
 * (on its management port, 9084 by default);
 * when its pid is known (same machine) also the bytes of live objects from
 * {@code jcmd <pid> GC.class_histogram} (which runs a full GC first; exact, where the heap-used gauge of
 * ZGC moves in 2 MB pages) and the process RSS from {@code /proc/<pid>/status}. The node's own jcmd
 * (next to its java) is used: another JDK's may fail to attach.
 */
public final class NodeProbe {

    private static final Logger log = LoggerFactory.getLogger(NodeProbe.class);

    /**
     * One reading; a {@code null} field could not be read.
     *
     * @param liveHeapBytes bytes of live objects after a full GC (class histogram total)
     */
    public record Reading(Long heapUsedBytes, Long liveHeapBytes, Long rssBytes, Long connections) {
    }

    private final NodeSpec node;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public NodeProbe(NodeSpec node) {
        this.node = node;
    }

    public Reading read() {
        Long live = node.pid() > 0 ? liveHeap(node.pid()) : null;
        Long heap = null;
        Long connections = null;
        String metrics = prometheus();
        if (metrics != null) {
            heap = heapUsed(metrics);
            connections = gauge(metrics, "herald_access_connections");
        }
        Long rss = node.pid() > 0 ? rss(node.pid()) : null;
        return new Reading(heap, live, rss, connections);
    }

    private String prometheus() {
        if (node.metricsUrl() == null || node.metricsUrl().isBlank()) {
            return null;
        }
        String base = node.metricsUrl().endsWith("/") ? node.metricsUrl().substring(0, node.metricsUrl().length() - 1)
                : node.metricsUrl();
        String url = base.endsWith("/prometheus") ? base : base + "/actuator/prometheus";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response.body();
            }
            log.warn("{} answered {}", url, response.statusCode());
        } catch (IOException e) {
            log.warn("cannot read {}: {}", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} over all heap pools. */
    static Long heapUsed(String prometheusText) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : null;
    }

    /**
     * The sum of a gauge's series ({@code name value} or {@code name{tags} value}): the node's connection
     * gauge has one series per protocol.
     */
    static Long gauge(String prometheusText, String name) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? (long) sum : null;
    }

    /** The resident set size of a process on this machine ({@code VmRSS} in {@code /proc/<pid>/status}); {@code null} if unreadable. */
    public static Long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read RSS of pid {}: {}", pid, e.toString());
        }
        return null;
    }

    /** Total bytes of {@code jcmd <pid> GC.class_histogram}, which collects garbage first. */
    private static Long liveHeap(long pid) {
        String jcmd = jcmdFor(pid);
        try {
            Process p = new ProcessBuilder(jcmd, Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
            Long total = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    total = histogramTotal(line, total);
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log.warn("{} {} GC.class_histogram timed out", jcmd, pid);
                return null;
            }
            return total;
        } catch (IOException e) {
            log.warn("cannot run {} {} GC.class_histogram: {}", jcmd, pid, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code Total   1234567   89012345} → 89012345; other lines leave {@code current} as it is. */
    static Long histogramTotal(String line, Long current) {
        String trimmed = line.trim();
        if (!trimmed.startsWith("Total")) {
            return current;
        }
        String[] parts = trimmed.split("\\s+");
        try {
            return parts.length >= 3 ? Long.parseLong(parts[2]) : current;
        } catch (NumberFormatException e) {
            return current;
        }
    }

    /** The jcmd of the JDK the node runs on (attaching with another JDK's jcmd may fail), else jcmd on the PATH. */
    private static String jcmdFor(long pid) {
        try {
            Path java = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
            Path jcmd = java.resolveSibling("jcmd");
            if (Files.isExecutable(jcmd)) {
                return jcmd.toString();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not our process: fall back to the PATH
        }
        return "jcmd";
    }
}
