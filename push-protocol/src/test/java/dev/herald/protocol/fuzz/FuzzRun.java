package dev.herald.protocol.fuzz;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs a fuzz campaign: {@code inputs} generated inputs, input {@code i} from
 * {@code new SplittableRandom(seed + i)}, so any one of them can be replayed alone. Counts:
 * the CI default given by the test, or {@code -Dherald.fuzz.inputs=N} (the long run); seed:
 * {@code -Dherald.fuzz.seed=S}, random otherwise; one input: {@code -Dherald.fuzz.input=I}. A failing
 * input fails the campaign with those two properties in the message. Every input runs under a
 * {@link CrashLog}: a warning or error logged while it ran (a handler's "error on connection", a
 * leak report) fails it too.
 */
public final class FuzzRun {

    public static final String INPUTS = "herald.fuzz.inputs";
    public static final String SEED = "herald.fuzz.seed";
    public static final String INPUT = "herald.fuzz.input";

    private FuzzRun() {
    }

    /** The number of inputs: {@code -Dherald.fuzz.inputs} when set, else the CI default. */
    public static int inputs(int ciDefault) {
        String configured = System.getProperty(INPUTS, "");
        return configured.isBlank() ? ciDefault : Integer.parseInt(configured.trim());
    }

    /** Whether this is the long run ({@code -Dherald.fuzz.inputs} set). */
    public static boolean longRun() {
        return !System.getProperty(INPUTS, "").isBlank();
    }

    /** Runs {@code ciDefaultInputs} inputs, or as many as {@code -Dherald.fuzz.inputs} says. */
    public static FuzzReport run(String campaign, int ciDefaultInputs, FuzzInput input) {
        return run(campaign, inputs(ciDefaultInputs), Integer.getInteger(INPUT, -1), input);
    }

    /** Runs exactly {@code inputs} inputs, whatever the long run asks (for tests of the harness). */
    public static FuzzReport runExactly(String campaign, int inputs, FuzzInput input) {
        return run(campaign, inputs, -1, input);
    }

    private static FuzzReport run(String campaign, int inputs, int only, FuzzInput input) {
        long seed = Long.getLong(SEED, System.nanoTime() ^ System.identityHashCode(input));
        FuzzReport report = new FuzzReport(campaign, seed);
        try (CrashLog crashes = CrashLog.open()) {
            report.started();
            for (int i = only >= 0 ? only : 0; i < (only >= 0 ? only + 1 : inputs); i++) {
                try {
                    input.run(new SplittableRandom(seed + i), report);
                    List<String> logged = crashes.drain();
                    if (!logged.isEmpty()) {
                        throw new AssertionError("logged while handling the input:\n" + String.join("\n", logged));
                    }
                } catch (Throwable e) {
                    throw new AssertionError("fuzz " + campaign + " input " + i + " failed; replay it with -D" + SEED
                            + "=" + seed + " -D" + INPUT + "=" + i + ": " + e, e);
                }
                report.inputDone();
            }
            crashes.flushLeakReports();
            List<String> leaks = crashes.drain();
            if (!leaks.isEmpty()) {
                throw new AssertionError("fuzz " + campaign + " (-D" + SEED + "=" + seed + "): the leak detector reported:\n"
                        + String.join("\n", leaks));
            }
            report.finished();
        }
        report.publish();
        return report;
    }
}
