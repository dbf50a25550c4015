package dev.herald.bench.cli;

import dev.herald.bench.distributed.ScenarioParser;
import dev.herald.bench.scenario.Scenario;
import dev.herald.bench.scenario.ScenarioSpec;
import java.util.List;
import picocli.CommandLine;

/**
 * Parses a distributed task's arguments with the scenario's own command, so a task means exactly what
 * the same options mean on the command line. {@code --processes} and {@code --report} are accepted and
 * ignored (agents fork as they were started; the coordinator keeps the report).
 */
public final class TaskArguments implements ScenarioParser {

    @Override
    public ScenarioSpec parse(String scenario, List<String> args) {
        ScenarioCommand command = switch (scenario) {
            case "connect" -> new ConnectCommand();
            case "broadcast" -> new BroadcastCommand();
            case "room" -> new RoomCommand();
            case "unicast" -> new UnicastCommand();
            default -> throw new IllegalArgumentException("unknown scenario '" + scenario + "'; known: " + Scenario.NAMES);
        };
        try {
            new CommandLine(command).parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return command.spec();
    }
}
