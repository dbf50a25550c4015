package dev.herald.bench.cli;

import dev.herald.bench.scenario.NodeSpec;
import dev.herald.bench.scenario.ScenarioSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Ramp to N connections, hold them; report connect rate, failures, handshake latency and the access node's memory per connection.")
final class ConnectCommand extends ScenarioCommand {

    @Option(names = "--rate", description = "Connections per second (same as --connect-rate).")
    Double rate;

    @Option(names = "--hold", defaultValue = "10", description = "Seconds to hold the connections once open. Default: ${DEFAULT-VALUE}")
    double holdSeconds;

    @Option(names = "--node-metrics",  defaultValue = "",
            description = "Management (actuator) base URL of the access node to measure, e.g. http://127.0.0.1:9084")
    String nodeMetrics;

    @Option(names = "--node-pid", defaultValue = "0",
            description = "Pid of that access node on this machine: adds its RSS and a full GC (jcmd GC.run) before each reading")
    long nodePid;

    @Override
    ScenarioSpec spec() {
        if (rate != null) {
            devices.connectRate = rate;
        }
        if (holdSeconds < 0) {
            throw new IllegalArgumentException("--hold must be >= 0");
        }
        return new ScenarioSpec("connect", devices.spec(), noSend(), new NodeSpec(nodeMetrics, nodePid), holdSeconds);
    }
}
