package dev.herald.bench.scenario;

import dev.herald.bench.report.MachineFacts;
import dev.herald.bench.report.Report;
import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.WorkerResult;
import java.io.PrintStream;
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
        return new Report("push-bench", spec.scenario(), Integer.toHexString(runId), started.toString(),
                Instant.now().toString(), MachineFacts.current(), spec.redacted(), run.phases(), lines);
    }
}
