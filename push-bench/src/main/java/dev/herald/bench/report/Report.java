package dev.herald.bench.report;

import java.util.List;

/**
 * The JSON report of one run: what was asked ({@code settings}), where it ran, each phase with its
 * figures, each worker (process or agent) with its share, and the GC pauses of the watched services.
 */
public record Report(String tool, String scenario, String runId, String startedAt, String finishedAt,
                     MachineFacts machine, Object settings, List<Phase> phases, List<WorkerLine> workers,
                     List<GcLogWatch.GcPauses> gcPauses) {

    public Report {
        phases = List.copyOf(phases);
        workers = List.copyOf(workers);
        gcPauses = gcPauses == null ? List.of() : List.copyOf(gcPauses);
    }

    /** One worker's share of the run. */
    public record WorkerLine(String worker, int devices, int connected, int failed, long deliveries, int disconnects) {
    }
}
