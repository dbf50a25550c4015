package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.report.Report;
import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.testing.StubAccessNode;
import dev.herald.bench.worker.LocalWorker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ScenarioRunnerTest {

    private static final String SECRET = "test-secret-0123456789";
    private final StubAccessNode node = new StubAccessNode("demo", SECRET);

    @AfterEach
    void stopNode() {
        node.close();
    }

    private ScenarioSpec connectSpec(int devices) {
        DeviceSpec d = new DeviceSpec("native", List.of(node.address()), "demo", SECRET, "r-", devices, 0, 0, 16, "", 1, 5);
        return new ScenarioSpec("connect", d, new SendSpec("", "", 0, false, 0, 0, false, 0, 0, 0, 1, 0, 1, PushApiClient.Auth.SIGNED), new NodeSpec("", 0), 0);
    }

    @Test
    void connectPrintsOneLinePerPhaseAndReportsEveryFigureAsJson() throws InterruptedException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();

        Report report = ScenarioRunner.run(connectSpec(25), new LocalWorker("local"), new PrintStream(lines, true, StandardCharsets.UTF_8));

        assertThat(lines.toString(StandardCharsets.UTF_8).lines().toList()).satisfiesExactly(
                l -> assertThat(l).startsWith("[connect] 25/25 devices connected in"),
                l -> assertThat(l).startsWith("[hold] held").contains("0 dropped"));
        JsonNode json = ReportWriter.JSON.readTree(ReportWriter.toJson(report, false));
        assertThat(json.path("tool").asString()).isEqualTo("push-bench");
        assertThat(json.path("scenario").asString()).isEqualTo("connect");
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("settings").path("devices").path("devices").asInt()).isEqualTo(25);
        assertThat(json.path("settings").path("devices").path("secret").asString()).as("never in a report").isEqualTo("***");
        JsonNode connect = json.path("phases").get(0);
        assertThat(connect.path("name").asString()).isEqualTo("connect");
        assertThat(connect.path("summary").asString()).startsWith("25/25");
        assertThat(connect.path("figures").path("connected").asInt()).isEqualTo(25);
        assertThat(connect.path("figures").path("handshake").path("p99Ms").isNumber()).isTrue();
        assertThat(json.path("phases").get(1).path("figures").path("openAtEnd").asInt()).isEqualTo(25);
        assertThat(json.path("workers").get(0).path("worker").asString()).isEqualTo("local");
        assertThat(json.path("workers").get(0).path("connected").asInt()).isEqualTo(25);
        assertThat(node.loggedIn()).hasSize(25);
    }
}
