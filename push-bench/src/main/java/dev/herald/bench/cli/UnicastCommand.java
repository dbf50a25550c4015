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

    @Override
    ScenarioSpec spec() {
        if (rate < 0 || durationSeconds <= 0) {
            throw new IllegalArgumentException("--rate must be >= 0 and --duration > 0");
        }
        return new ScenarioSpec("unicast", devices.spec(), send(send, 0, false, 0, rate, durationSeconds), noNode(), 0);
    }
}
