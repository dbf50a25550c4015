package dev.herald.bench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.peer.PeerBinaries;
import dev.herald.bench.report.ReportWriter;
import dev.herald.testsupport.Prerequisites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code push-bench compare} for real against mosquitto and nats-server started by the command itself, at a
 * tiny size (Herald left out: it needs a running suite). Skips where the binaries are absent, except on CI
 * (env {@code CI=true}), where their absence is a failure.
 */
class CompareCommandTest {

    @BeforeAll
    static void needsMosquittoAndNatsServer() {
        List<String> missing = new ArrayList<>();
        for (String binary : List.of("mosquitto", "nats-server")) {
            if (PeerBinaries.find(binary) == null) {
                missing.add(binary);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Prerequisites.require(false, missing + " not installed (apt-get install -y mosquitto nats-server)");
    }

    @Test
    @Timeout(120)
    void tinyComparisonOfMosquittoAndNatsFillsEveryPeerFigureAndStopsTheServers(@TempDir Path dir) throws Exception {
        Path table = dir.resolve("compare.md");
        StringWriter err = new StringWriter();
        CommandLine cli = PushBench.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("compare", "--targets", "mosquitto,nats", "-n", "200", "--memory-devices", "250",
                "--broadcasts", "2", "--bursts", "3", "--unicast-seconds", "1", "--window", "2000",
                "--paced-rate", "200", "--paced-seconds", "1", "--drain", "20", "--settle", "0.2",
                "--out", table.toString(), "--work-dir", dir.resolve("servers").toString());

        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        List<String> rows = Files.readAllLines(table).stream().filter(l -> l.startsWith("| ")).toList();
        assertThat(rows.get(0)).isEqualTo("| scenario | better | mosquitto | NATS |");
        List<String> figures = rows.subList(2, rows.size());
        assertThat(figures).hasSize(11);
        for (String row : figures) {
            String[] cells = row.substring(2, row.length() - 2).split(" \\| ", -1);
            if (cells[0].startsWith("Redis commands")) {
                assertThat(cells[2]).isEqualTo("–");
                continue;
            }
            assertThat(cells[2]).as("mosquitto: %s", row).matches("[0-9][0-9 .]*( KB|/s| ms)?");
            assertThat(cells[3]).as("NATS: %s", row).matches("[0-9][0-9 .]*( KB|/s| ms)?");
        }
        assertThat(figures.get(figures.size() - 1)).isEqualTo("| deliveries missing, all scenarios |  | 0 | 0 |");

        JsonNode report = ReportWriter.JSON.readTree(dir.resolve("compare.json").toFile());
        assertThat(report.get("targets")).hasSize(2);
        assertThat(report.get("targets").get(0).get("connects").get("connected").asInt()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("servers/mosquitto.conf"))).contains("listener ").contains("allow_anonymous true");
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("mosquitto") || c.endsWith("nats-server")).orElse(false))
                .toList()).as("servers left running").isEmpty();
    }
}
