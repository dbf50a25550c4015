package dev.herald.bench.distributed;

import dev.herald.bench.scenario.ScenarioSpec;
import java.util.List;

/** Turns a task's scenario and arguments into settings, the same way the command line does. */
@FunctionalInterface
public interface ScenarioParser {

    /** @throws IllegalArgumentException when the scenario or an argument is not valid */
    ScenarioSpec parse(String scenario, List<String> args);
}
