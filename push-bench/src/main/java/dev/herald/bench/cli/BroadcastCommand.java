package dev.herald.bench.cli;

import dev.herald.bench.scenario.ScenarioSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "broadcast", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Connect N devices, broadcast M messages (one at a time or a burst); report deliveries/s and the time until the last device has each.")
final class BroadcastCommand extends ScenarioCommand {

    @Mixin
    SendOptions send;

    @Option(names = {"-m", "--messages"}, defaultValue = "10", description = "Broadcasts to send. Default: ${DEFAULT-VALUE}")
    int messages;

    @Option(names = "--burst", defaultValue = "false",
            description = "Send all messages at once (up to --concurrency in flight) instead of one after the other")
    boolean burst;

    @Option(names = "--warmup", defaultValue = "1", description = "Broadcasts sent and awaited first, not counted. Default: ${DEFAULT-VALUE}")
    int warmup;

    @Override
    ScenarioSpec spec() {
        if (messages < 1 || warmup < 0) {
            throw new IllegalArgumentException("--messages must be >= 1 and --warmup >= 0");
        }
        return new ScenarioSpec("broadcast", devices.spec(), send(send, messages, burst, warmup, 0, 0), noNode(), 0);
    }
}
