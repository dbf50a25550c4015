package dev.herald.bench.compare;

import dev.herald.bench.report.MachineFacts;
import dev.herald.bench.report.ReportWriter;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;

/**
 * {@code push-bench compare}: the same scenarios against Herald, mosquitto and NATS in one run, one target
 * after the other (a peer's server runs only during its own part), and one table of the figures with Herald's
 * ratio to each.
 */
public final class Comparison {

    /** The targets {@code --targets} can name, in the table's order. */
    public static final List<String> TARGETS = List.of("herald", "mosquitto", "nats");

    /** What the run produced: the markdown table and the same figures as a JSON document. */
    public record Outcome(String markdown, String json, boolean complete) {
    }

    /** The JSON report. */
    record Report(String tool, String startedAt, String finishedAt, MachineFacts machine, CompareSettings settings,
                  List<TargetFigures> targets) {
    }

    private Comparison() {
    }

    /**
     * Runs the scenarios against each of {@code targets} (names from {@link #TARGETS}); peers keep their
     * configuration and log under {@code workDir}. Progress lines go to {@code out}.
     */
    public static Outcome run(CompareSettings settings, HeraldSettings herald, List<String> targets, MqttQoS mqttQos,
                              Path workDir, PrintStream out) {
        List<Target> chosen = targets(settings, herald, targets, mqttQos, workDir);
        Instant started = Instant.now();
        List<TargetFigures> figures = new ArrayList<>();
        for (Target target : chosen) {
            figures.add(new TargetRun(settings, out).run(target));
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        Instant finished = Instant.now();
        MachineFacts machine = MachineFacts.current();
        String markdown = ComparisonTable.markdown(preamble(machine, settings, started, mqttQos), settings, figures);
        String json = ReportWriter.JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(new Report("push-bench compare", started.toString(), finished.toString(), machine,
                        settings, figures));
        boolean complete = figures.size() == chosen.size() && figures.stream().allMatch(f -> f.error() == null);
        return new Outcome(markdown, json, complete);
    }

    static List<Target> targets(CompareSettings settings, HeraldSettings herald, List<String> names, MqttQoS mqttQos,
                                Path workDir) {
        List<Target> targets = new ArrayList<>();
        for (String known : TARGETS) {
            if (!names.contains(known)) {
                continue;
            }
            switch (known) {
                case "herald" -> targets.add(new HeraldTarget(herald));
                case "mosquitto" -> targets.add(PeerTarget.mosquitto(workDir, mqttQos, settings.window(), settings.connectTimeout()));
                case "nats" -> targets.add(PeerTarget.nats(workDir, settings.window() * 2 + 10_000));
                default -> throw new IllegalStateException(known);
            }
        }
        return targets;
    }

    /** Rejects a name that is not a target. */
    public static List<String> parseTargets(List<String> names) {
        List<String> parsed = new ArrayList<>();
        for (String name : names) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (!TARGETS.contains(n)) {
                throw new IllegalArgumentException("unknown target '" + name + "'; available: " + String.join(", ", TARGETS));
            }
            parsed.add(n);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("--targets names no target; available: " + String.join(", ", TARGETS));
        }
        return parsed;
    }

    private static List<String> preamble(MachineFacts m, CompareSettings s, Instant started, MqttQoS qos) {
        return List.of(
                "# push-bench compare, " + started,
                "",
                String.format(Locale.ROOT, "Machine: %s, %d cores (%s), %.1f GiB, %s, %s, open files %d; load generator, "
                                + "servers and devices on this one machine.", m.host(), m.cores(), m.cpu(),
                        m.memoryBytes() / (double) (1L << 30), m.os(), m.java(), m.openFilesLimit()),
                "Run: " + ComparisonTable.count(s.devices()) + " devices"
                        + (s.secondMemoryReading() ? " (idle memory also at " + ComparisonTable.count(s.memoryDevices()) + ")" : "")
                        + ", payload " + s.payloadBytes() + " B, connects not paced (" + s.inFlight() + " handshakes in flight), "
                        + s.broadcasts() + " broadcasts one at a time after one warm-up, bursts of " + s.bursts()
                        + ", unicast flat out " + (long) s.unicastSeconds() + " s, paced " + ComparisonTable.count((long) s.pacedRate()) + "/s for "
                        + (long) s.pacedSeconds() + " s; MQTT QoS " + qos.value() + "."
                        + " Latency: send time in the payload to receipt on the device (same clock).");
    }
}
