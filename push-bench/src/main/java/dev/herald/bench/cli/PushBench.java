package dev.herald.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * push-bench: simulated devices against a Herald suite.
 *
 * <pre>
 * java -jar push-bench/target/push-bench-*-exec.jar connect   -n 10000 --processes 2 --hold 30
 * java -jar push-bench/target/push-bench-*-exec.jar broadcast -n 5000 -m 50 --burst
 * java -jar push-bench/target/push-bench-*-exec.jar unicast   -n 2000 --rate 2000 --duration 20
 * java -jar push-bench/target/push-bench-*-exec.jar compare   --targets herald,mosquitto,nats
 * java -jar push-bench/target/push-bench-*-exec.jar coordinator --redis redis://127.0.0.1:6390
 * java -jar push-bench/target/push-bench-*-exec.jar agent       --redis redis://127.0.0.1:6390
 * </pre>
 */
@Command(name = "push-bench", mixinStandardHelpOptions = true, version = "push-bench 0.1.0",
        description = "Load tool for Herald: simulated devices over the access protocols, scenarios, distributed agents.",
        subcommands = {ConnectCommand.class, BroadcastCommand.class, UnicastCommand.class, RoomCommand.class, CompareCommand.class,
                AgentCommand.class, CoordinatorCommand.class, WorkerCommand.class, CommandLine.HelpCommand.class})
public final class PushBench implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with push-bench's error handling: bad settings are usage errors (exit 2). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PushBench());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println(commandLine.getColorScheme().errorText("push-bench: " + e.getMessage()));
                return 2;
            }
            commandLine.getErr().println("push-bench: " + e);
            org.slf4j.LoggerFactory.getLogger(PushBench.class).error("run failed", e);
            return 1;
        });
        return cli;
    }
}
