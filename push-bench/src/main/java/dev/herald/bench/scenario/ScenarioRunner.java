package dev.herald.bench.scenario;

import dev.herald.bench.report.GcLogWatch;
import dev.herald.bench.report.MachineFacts;
import dev.herald.bench.report.Report;
import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.WorkerResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Runs a scenario on a set of workers and assembles its report. */
public final class ScenarioRunner {

    private ScenarioRunner() {
    }

    /**
     * Runs {@code spec}'s scenario; one line per phase goes to {@code out} as it ends. The workers are
     * closed in any case.
     */
    public static Report run(ScenarioSpec spec, DeviceWorkers workers, PrintStream out) throws InterruptedException {
        return run(spec, workers, out, List.of());
    }

    /** The same, reporting the GC pauses that {@code gcLogs} (services' GC logs on this machine) gained meanwhile. */
    public static Report run(ScenarioSpec spec, DeviceWorkers workers, PrintStream out, List<Path> gcLogs)
            throws InterruptedException {
        GcLogWatch gc = GcLogWatch.start(gcLogs);
        Scenario scenario = Scenario.named(spec.scenario());
        int runId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        RunContext run = new RunContext(spec, runId, workers, out);
        Instant started = Instant.now();
        try {
            scenario.run(run);
        } finally {
            workers.close();
        }
        List<Report.WorkerLine> lines = new ArrayList<>();
        for (WorkerResult r : run.results()) {
            lines.add(new Report.WorkerLine(r.worker(), r.devices(), r.connect().connected(), r.connect().failed(),
                    r.receive().deliveries(), r.receive().disconnectCount()));
        }
        List<GcLogWatch.GcPauses> pauses = gc.finish();
        for (GcLogWatch.GcPauses p : pauses) {
            out.println("gc: " + p.oneLine());
        }
        return new Report("push-bench", spec.scenario(), Integer.toHexString(runId), started.toString(),
                Instant.now().toString(), MachineFacts.current(), spec.redacted(), run.phases(), lines, pauses);
    }
}
