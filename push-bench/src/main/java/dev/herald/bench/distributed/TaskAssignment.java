package dev.herald.bench.distributed;

import dev.herald.bench.worker.WorkerTask;
import java.util.Map;

/** One entry of the task stream: every agent's share of a task, by agent name. */
public record TaskAssignment(String taskId, Map<String, WorkerTask> workers) {

    public TaskAssignment {
        workers = Map.copyOf(workers);
    }
}
