package dev.herald.bench.distributed;

import dev.herald.bench.report.Report;
import java.util.List;

/**
 * A task as kept in Redis and shown over REST.
 *
 * @param state {@code queued}, {@code running}, {@code done} or {@code failed}
 * @param agents the agents that ran it, in slice order
 * @param summary the one-line summaries of its phases
 * @param report the aggregated report (null until done)
 */
public record TaskRecord(String id, String state, TaskRequest request, String createdAt, String startedAt,
                         String finishedAt, List<String> agents, List<String> summary, Report report, String error) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public TaskRecord {
        agents = agents == null ? List.of() : List.copyOf(agents);
        summary = summary == null ? List.of() : List.copyOf(summary);
    }

    TaskRecord running(String at, List<String> agentNames) {
        return new TaskRecord(id, RUNNING, request, createdAt, at, null, agentNames, summary, null, null);
    }

    TaskRecord done(String at, List<String> lines, Report result) {
        return new TaskRecord(id, DONE, request, createdAt, startedAt, at, agents, lines, result, null);
    }

    TaskRecord failed(String at, String why) {
        return new TaskRecord(id, FAILED, request, createdAt, startedAt, at, agents, summary, report, why);
    }

    /** The same without the report: what the task list shows. */
    TaskRecord withoutReport() {
        return new TaskRecord(id, state, request, createdAt, startedAt, finishedAt, agents, summary, null, error);
    }
}
