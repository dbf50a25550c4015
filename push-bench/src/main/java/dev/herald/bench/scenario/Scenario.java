package dev.herald.bench.scenario;

import java.util.List;
import java.util.Locale;

/** One load scenario, written as a script against a {@link RunContext}. */
public interface Scenario {

    /** Scenario names a distributed task may name (the command names of the CLI). */
    List<String> NAMES = List.of("connect", "broadcast", "unicast", "room");

    void run(RunContext run) throws InterruptedException;

    static Scenario named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "connect" -> new ConnectScenario();
            case "broadcast" -> new BroadcastScenario(false);
            case "room" -> new BroadcastScenario(true);
            case "unicast" -> new UnicastScenario();
            default -> throw new IllegalArgumentException("unknown scenario '" + name + "'; known: " + NAMES);
        };
    }
}
