package dev.herald.bench.distributed;

import dev.herald.bench.report.ReportWriter;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Tasks and their reports, kept in Redis: one JSON document per task and a list ordered by creation. */
final class TaskStore {

    /** The task list keeps this many newest tasks; older ones are deleted. */
    static final int KEEP = 1000;

    private final RedisCommands<String, String> redis;

    TaskStore(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    void save(TaskRecord task) {
        redis.set(BenchKeys.task(task.id()), ReportWriter.JSON.writeValueAsString(task));
        if (redis.zscore(BenchKeys.TASK_LIST, task.id()) == null) {
            redis.zadd(BenchKeys.TASK_LIST, Instant.parse(task.createdAt()).toEpochMilli(), task.id());
            trim();
        }
    }

    TaskRecord find(String id) {
        String json = redis.get(BenchKeys.task(id));
        return json == null ? null : ReportWriter.JSON.readValue(json, TaskRecord.class);
    }

    /** Newest first. */
    List<TaskRecord> list(int limit) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (String id : redis.zrevrange(BenchKeys.TASK_LIST, 0, limit - 1)) {
            TaskRecord task = find(id);
            if (task != null) {
                tasks.add(task);
            }
        }
        return tasks;
    }

    /** Tasks left queued or running by a coordinator that stopped: nobody will finish them. */
    void failUnfinished(String why) {
        for (TaskRecord task : list(KEEP)) {
            if (TaskRecord.QUEUED.equals(task.state()) || TaskRecord.RUNNING.equals(task.state())) {
                save(task.failed(Instant.now().toString(), why));
            }
        }
    }

    private void trim() {
        long size = redis.zcard(BenchKeys.TASK_LIST);
        if (size > KEEP) {
            for (String old : redis.zrange(BenchKeys.TASK_LIST, 0, size - KEEP - 1)) {
                redis.del(BenchKeys.task(old), BenchKeys.run(old));
                redis.zrem(BenchKeys.TASK_LIST, old);
            }
        }
    }
}
