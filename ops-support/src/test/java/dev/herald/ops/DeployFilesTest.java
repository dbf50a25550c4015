package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring files of {@code deploy/} parse, and name only what exists: the dashboard's queries use
 * meters documented in docs/operations.md (so a renamed meter breaks this test, not a dashboard at 3 am),
 * and Prometheus scrapes management ports.
 */
class DeployFilesTest {

    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern QUERIED = Pattern.compile("herald_[a-z_]+");
    private static final Pattern DOCUMENTED = Pattern.compile("`(herald\\.[a-z.]+[a-z])`");
    private static final Pattern PROMETHEUS_SUFFIX = Pattern.compile("(_total|_seconds(_bucket|_count|_sum|_max)?)?");

    private static Set<String> documentedMeters() throws IOException {
        Set<String> meters = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(Files.readString(REPO.resolve("docs/operations.md")));
        while (m.find()) {
            meters.add(m.group(1).replace('.', '_'));
        }
        return meters;
    }

    @Test
    void theDashboardParsesAndQueriesOnlyDocumentedMeters() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build()
                .readTree(REPO.resolve("deploy/grafana/dashboards/herald-overview.json").toFile());
        assertThat(dashboard.path("uid").asString()).isEqualTo("herald-overview");
        Set<String> documented = documentedMeters();
        assertThat(documented).contains("herald_access_connections", "herald_pool_call_errors");

        List<String> queried = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo("herald-prometheus");
                Matcher m = QUERIED.matcher(target.path("expr").asString());
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertThat(queried).hasSizeGreaterThan(30);
        for (String name : queried) {
            assertThat(documented).as(name + " is not a documented meter")
                    .anyMatch(meter -> name.startsWith(meter)
                            && PROMETHEUS_SUFFIX.matcher(name.substring(meter.length())).matches());
        }
        // The panels: connections, throughput, latency, GC pauses, pools, intake lag.
        String all = dashboard.toString();
        assertThat(all).contains("herald_access_connections", "herald_api_messages_accepted_total",
                "herald_access_ack_latency_seconds_bucket", "jvm_gc_pause_seconds", "herald_pool_qps",
                "herald_dispatcher_intake_lag");
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesTheManagementPortsAndGrafanaIsProvisioned() throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(REPO.resolve("deploy/prometheus/prometheus.yml")));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) jobs.get(0).get("static_configs")) {
            targets.addAll((List<String>) group.get("targets"));
        }
        assertThat(targets).containsExactlyInAnyOrder("push-api:9080", "dispatcher:9082", "saver:9083", "access-1:9084",
                "access-2:9084", "chatroom:9086", "config-server:9090");

        Map<String, Object> compose = new Yaml().load(Files.readString(REPO.resolve("deploy/docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        assertThat(services).containsKeys("prometheus", "grafana");
        assertThat((List<String>) ((Map<String, Object>) services.get("grafana")).get("volumes"))
                .contains("./grafana/provisioning:/etc/grafana/provisioning:ro", "./grafana/dashboards:/var/lib/grafana/dashboards:ro");
        for (String file : List.of("deploy/grafana/provisioning/datasources/prometheus.yml",
                "deploy/grafana/provisioning/dashboards/herald.yml")) {
            Map<String, Object> provisioning = new Yaml().load(Files.readString(REPO.resolve(file)));
            assertThat(provisioning.get("apiVersion")).as(file).isEqualTo(1);
        }
    }
}
