package dev.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.scenario.ScenarioSpec;
import dev.herald.bench.testing.StubAccessNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

class PushBenchCliTest {

    private static int run(StringWriter err, String... args) {
        CommandLine cli = PushBench.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void roomRefusesMqttAndABadRoomIdAsUsageErrors() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "room", "--protocol", "mqtt", "-n", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("not mapped to MQTT");
        assertThat(run(new StringWriter(), "room", "--room", "no spaces", "-n", "1")).isEqualTo(2);
    }

    @Test
    void badSettingsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertThat(run(err, "connect", "--protocol", "carrier-pigeon", "-n", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown protocol 'carrier-pigeon'");
        assertThat(run(new StringWriter(), "connect", "--source-addresses", "127.0.0.9-127.0.0.2")).isEqualTo(2);
        assertThat(run(new StringWriter(), "unicast", "--no-such-option")).isEqualTo(2);
        StringWriter auth = new StringWriter();
        assertThat(run(auth, "unicast", "--api-auth", "token")).isEqualTo(2);
        assertThat(auth.toString()).contains("unknown --api-auth 'token'");
    }

    @Test
    void tlsOptionsReachTheDeviceSettingsAndACaFileAloneIsAUsageError() {
        ScenarioSpec spec = new TaskArguments().parse("broadcast",
                List.of("--tls", "--ca-file", "/run/tls/ca.pem", "--tls-server-name", "node.example"));
        assertThat(spec.devices().tls()).isEqualTo(new dev.herald.bench.device.DeviceTls(true, "/run/tls/ca.pem", "node.example"));
        assertThat(new TaskArguments().parse("connect", List.of()).devices().tls().enabled()).isFalse();
        assertThat(new TaskArguments().parse("connect", List.of("--tls", "--tls-resume")).devices().tls().resume()).isTrue();

        StringWriter err = new StringWriter();
        assertThat(run(err, "connect", "--ca-file", "/run/tls/ca.pem", "-n", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("--ca-file, --tls-server-name and --tls-resume go with --tls");
        StringWriter resume = new StringWriter();
        assertThat(run(resume, "connect", "--tls-resume", "-n", "1")).isEqualTo(2);
        assertThat(resume.toString()).contains("go with --tls");
    }

    @Test
    void taskArgumentsMeanWhatTheyMeanOnTheCommandLine() {
        ScenarioSpec spec = new TaskArguments().parse("broadcast",
                List.of("--messages", "50", "--burst", "--access", "10.0.0.1:7070,10.0.0.2:7070", "--connect-rate", "500"));

        assertThat(spec.scenario()).isEqualTo("broadcast");
        assertThat(spec.send().messages()).isEqualTo(50);
        assertThat(spec.send().burst()).isTrue();
        assertThat(spec.send().api()).isEqualTo("http://127.0.0.1:8080");
        assertThat(spec.send().auth()).isEqualTo(dev.herald.bench.scenario.PushApiClient.Auth.SIGNED);
        assertThat(new TaskArguments().parse("unicast", List.of("--api-auth", "basic")).send().auth())
                .isEqualTo(dev.herald.bench.scenario.PushApiClient.Auth.BASIC);
        assertThat(spec.devices().access()).containsExactly("10.0.0.1:7070", "10.0.0.2:7070");
        assertThat(spec.devices().connectRate()).isEqualTo(500);
        assertThat(new TaskArguments().parse("connect", List.of("--rate", "50")).devices().connectRate()).isEqualTo(50);
        assertThatThrownBy(() -> new TaskArguments().parse("unicast", List.of("--rate", "fast")))
                .isInstanceOf(IllegalArgumentException.class);
        ScenarioSpec room = new TaskArguments().parse("room", List.of("--room", "lobby", "--burst"));
        assertThat(room.scenario()).isEqualTo("room");
        assertThat(room.devices().room()).isEqualTo("lobby");
        assertThat(room.send().messages()).isEqualTo(100);
        assertThatThrownBy(() -> new TaskArguments().parse("chat", List.of())).hasMessageContaining("unknown scenario");
    }

    @Test
    void connectSpreadsTheDevicesOverForkedWorkerProcesses(@TempDir Path dir) throws Exception {
        try (StubAccessNode node = new StubAccessNode("demo", "demo-secret-0123456789")) {
            Path report = dir.resolve("report.json");

            int exit = run(new StringWriter(), "connect", "-n", "10", "--processes", "2", "--hold", "0",
                    "--connect-rate", "0", "--event-loops", "1", "--access", node.address(),
                    "--worker-jvm-options=-Xmx64m -XX:TieredStopAtLevel=1", "--report", report.toString());

            assertThat(exit).isZero();
            JsonNode json = ReportWriter.JSON.readTree(Files.readString(report));
            assertThat(json.path("phases").get(0).path("figures").path("connected").asInt()).isEqualTo(10);
            assertThat(json.path("workers")).hasSize(2);
            assertThat(json.path("workers").get(0).path("worker").asString()).isEqualTo("connect-0");
            assertThat(json.path("workers").get(1).path("devices").asInt()).isEqualTo(5);
            assertThat(node.loggedIn()).hasSize(10).contains("bench-0", "bench-9");
        }
    }
}
