package dev.herald.bench.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /tasks}: a scenario, how many devices each agent runs, optionally how many agents to use
 * (default: all live ones), and the scenario's command-line options ({@code ["--messages","50","--burst"]}),
 * parsed exactly as {@code push-bench <scenario>} would.
 */
public record TaskRequest(String scenario, int clientsPerAgent, Integer agents, List<String> args) {

    public TaskRequest {
        args = args == null ? List.of() : List.copyOf(args);
    }

    /** The same with the value of {@code --secret} masked: what is kept and shown. */
    TaskRequest redacted() {
        List<String> masked = new ArrayList<>(args.size());
        boolean next = false;
        for (String arg : args) {
            if (next) {
                masked.add("***");
                next = false;
            } else if (arg.equals("--secret")) {
                masked.add(arg);
                next = true;
            } else if (arg.startsWith("--secret=")) {
                masked.add("--secret=***");
            } else {
                masked.add(arg);
            }
        }
        return new TaskRequest(scenario, clientsPerAgent, agents, masked);
    }
}
