package dev.herald.bench.cli;

import dev.herald.bench.scenario.ScenarioSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "unicast", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Connect N devices, unicast to them at a fixed rate or flat out; report deliveries/s and end-to-end latency p50/p99/p999.")
final class UnicastCommand extends ScenarioCommand {

    @Mixin
    SendOptions send;

    @Option(names = "--rate", defaultValue = "1000", description = "Messages per second; 0 = flat out (bounded by --concurrency). Default: ${DEFAULT-VALUE}")
    double rate;

    @Option(names = "--duration", defaultValue = "10", description = "Seconds of sending. Default: ${DEFAULT-VALUE}")
    double durationSeconds;

    @Option(names = "--batch", defaultValue = "1",
            description = "Messages per HTTP request; above 1 they go through POST .../messages/batch (each still stamped with its own due time). Default: ${DEFAULT-VALUE}")
    int batch;

    @Override
    ScenarioSpec spec() {
        if (rate < 0 || durationSeconds <= 0 || batch < 1 || batch > 10_000) {
            throw new IllegalArgumentException("--rate must be >= 0, --duration > 0 and --batch 1..10000");
        }
        return new ScenarioSpec("unicast", devices.spec(), send(send, 0, false, 0, rate, durationSeconds, batch), noNode(), 0);
    }
}
