package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every metric the docs name exists: each name in {@code docs/*.md}, dotted as Micrometer registers it
 * ({@code herald.access.connections.rejected}) or as Prometheus shows it ({@code herald_access_rejected_total}),
 * must be a sample of at least one running service's {@code /actuator/prometheus}. A renamed or removed meter,
 * or a doc that names one that never existed, fails here.
 *
 * <p>What counts as a documented metric: a Prometheus-style name ({@code herald_..._total} and the like)
 * anywhere, and a dotted name written alone in backticks (tags in braces allowed). Configuration properties
 * share the dotted form; they are told apart by the docs' property tables (first column of a table headed
 * {@code property}) and, for the few named elsewhere, by {@link #NOT_METRICS}. Some meters are registered on
 * first use (a tag per protocol, reason or result), so the test first makes the suite do each such thing once.
 */
@ExtendWith(HeraldSuite.class)
class DocumentedMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PROMETHEUS_NAME = Pattern.compile("(?<![\\w.])herald_[a-z0-9_]*[a-z0-9]");
    private static final Pattern DOTTED_NAME = Pattern.compile("`(herald(?:\\.[a-z0-9]+)+)(?:\\{[^`]*})?`");
    private static final Pattern TABLE_ROW_FIRST_CELL = Pattern.compile("^\\|\\s*([^|]*?)\\s*\\|");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
    /** Dotted names in the docs that are neither meters nor in a property table, and why. */
    private static final Map<String, String> NOT_METRICS = Map.of(
            "herald.apps", "the static app list property",
            "herald.access.port", "the access node's device port property",
            "herald.v1", "the WebSocket subprotocol",
            "herald.faults.stall", "a fault-suite system property",
            "herald.faults.devices", "a fault-suite system property",
            "herald.sh", "the local suite's script",
            "herald.pool.created", "named as the name the pools' counter avoids (Prometheus reserves _created)");
    /** What Micrometer's Prometheus naming appends to a dotted name: counters, timers (base unit seconds). */
    private static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_count", "_seconds_sum",
            "_seconds_max", "_seconds_bucket");

    @Test
    void everyMetricNamedInTheDocsIsExposedByAService() throws Exception {
        HeraldSuite suite = HeraldSuite.get();
        Map<String, Set<String>> documented = documentedMetrics(repoRoot().resolve("docs"));
        assertThat(documented).as("metric names found in docs/*.md").hasSizeGreaterThan(30);

        registerMetersMadeOnFirstUse(suite);

        Map<String, ManagementPort> services = new TreeMap<>(Map.of(
                "config-server", new ManagementPort(suite.configServer), "push-api", new ManagementPort(suite.api),
                "dispatcher", new ManagementPort(suite.dispatcher), "saver", new ManagementPort(suite.saver),
                "access-1", new ManagementPort(suite.access1), "chatroom", new ManagementPort(suite.chatroom)));
        await().atMost(WAIT).untilAsserted(() -> {
            Set<String> exposed = new TreeSet<>();
            services.values().forEach(port -> exposed.addAll(sampleNames(port.prometheus())));
            Map<String, Set<String>> missing = new TreeMap<>();
            documented.forEach((name, files) -> {
                if (!isExposed(name, exposed)) {
                    missing.put(name, files);
                }
            });
            assertThat(missing).as("metrics named in docs (name -> where) that no service exposes; a configuration "
                    + "property belongs in a property table (or NOT_METRICS here)").isEmpty();
        });
    }

    /** Does once each thing whose meter is registered on first use. */
    private static void registerMetersMadeOnFirstUse(HeraldSuite suite) throws Exception {
        PushApi push = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = "documented-metrics-" + UUID.randomUUID();
        String room = "documented-metrics-" + UUID.randomUUID();
        // herald.access.connections.opened{protocol}, .rooms.sends{result}, herald.chatroom.messages{result},
        // herald.access.uplinks{result} (accepted or rejected, whether or not the app has a callback URL)
        try (Device device = new Device(deviceId, push.token(deviceId)).connect(suite.access1Port)) {
            device.join(room);
            device.sendToRoom(room, "counted").get(10, TimeUnit.SECONDS);
            device.uplink("counted").handle((id, error) -> null).get(10, TimeUnit.SECONDS);
        }
        // herald.api.intake.backlog and .backlog.age: gauged per cell once push-api has sent to it
        push.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"counted\"}");
        // herald.access.connections.rejected{reason}: bytes no protocol starts with
        try (Socket socket = new Socket("127.0.0.1", suite.access1Port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("\u0000garbage that no protocol starts with\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            int read = socket.getInputStream().read();
            assertThat(read).as("the node closes a connection of garbage").isEqualTo(-1);
        }
    }

    private static boolean isExposed(String documented, Set<String> exposed) {
        if (documented.contains("_")) {
            return exposed.contains(documented);
        }
        String base = documented.replace('.', '_');
        return SUFFIXES.stream().anyMatch(suffix -> exposed.contains(base + suffix));
    }

    /** The metric names of a Prometheus text exposition (sample lines, not comments). */
    private static Set<String> sampleNames(String prometheus) {
        return prometheus.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toSet());
    }

    /** Documented metric name -> the docs naming it. */
    static Map<String, Set<String>> documentedMetrics(Path docs) throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.list(docs)) {
            pages = files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
        Set<String> properties = new TreeSet<>(NOT_METRICS.keySet());
        Map<String, Set<String>> names = new TreeMap<>();
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            properties.addAll(propertyTableNames(lines));
            String file = page.getFileName().toString();
            for (String line : lines) {
                Matcher prometheus = PROMETHEUS_NAME.matcher(line);
                while (prometheus.find()) {
                    names.computeIfAbsent(prometheus.group(), n -> new TreeSet<>()).add(file);
                }
                Matcher dotted = DOTTED_NAME.matcher(line);
                while (dotted.find()) {
                    names.computeIfAbsent(dotted.group(1), n -> new TreeSet<>()).add(file);
                }
            }
        }
        names.keySet().removeAll(properties);
        return names;
    }

    /** Names in the first column of the tables headed {@code property}. */
    private static List<String> propertyTableNames(List<String> lines) {
        List<String> names = new ArrayList<>();
        boolean inPropertyTable = false;
        for (String line : lines) {
            Matcher row = TABLE_ROW_FIRST_CELL.matcher(line);
            if (!row.find()) {
                inPropertyTable = false;
                continue;
            }
            String firstCell = row.group(1);
            if (firstCell.equalsIgnoreCase("property")) {
                inPropertyTable = true;
            } else if (inPropertyTable) {
                Matcher name = BACKTICKED.matcher(firstCell);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
        }
        return names;
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isDirectory(dir.resolve("e2e-tests"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("the repository root (docs/) not found above the working directory"));
    }
}
