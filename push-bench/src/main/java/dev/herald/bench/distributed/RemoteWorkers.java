package dev.herald.bench.distributed;

import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.scenario.DeviceSpec;
import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.Slice;
import dev.herald.bench.worker.WorkerReady;
import dev.herald.bench.worker.WorkerResult;
import dev.herald.bench.worker.WorkerTask;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's view of the agents running a task: it publishes each agent's slice on the task
 * stream and follows the task's exchange hash, where agents post ready, progress and results.
 * Agent {@code i} (by name order) runs devices {@code first + i * clientsPerAgent} onwards.
 */
final class RemoteWorkers implements DeviceWorkers {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration RUN_TTL = Duration.ofDays(30);

    private final RedisCommands<String, String> redis;
    private final String taskId;
    private final List<String> agents;
    private final int clientsPerAgent;
    private final String runKey;
    private boolean finished;

    RemoteWorkers(RedisCommands<String, String> redis, String taskId, List<String> agents, int clientsPerAgent) {
        this.redis = redis;
        this.taskId = taskId;
        this.agents = List.copyOf(agents);
        this.clientsPerAgent = clientsPerAgent;
        this.runKey = BenchKeys.run(taskId);
    }

    @Override
    public List<WorkerReady> start(int runId, DeviceSpec devices, Duration timeout) throws InterruptedException {
        List<Slice> slices = Slice.fixed(devices.firstDevice(), clientsPerAgent, agents.size());
        Map<String, WorkerTask> tasks = new LinkedHashMap<>();
        for (int i = 0; i < agents.size(); i++) {
            tasks.put(agents.get(i), new WorkerTask(runId, agents.get(i), WorkerTask.share(devices, slices.get(i))));
        }
        redis.del(runKey);
        redis.xadd(BenchKeys.TASKS, XAddArgs.Builder.maxlen(1000).approximateTrimming(),
                Map.of(BenchKeys.FIELD, ReportWriter.JSON.writeValueAsString(new TaskAssignment(taskId, tasks))));
        Map<String, String> answers = await(BenchKeys.READY, timeout);
        List<WorkerReady> ready = new ArrayList<>();
        for (String agent : agents) {
            ready.add(ReportWriter.JSON.readValue(answers.get(BenchKeys.READY + agent), WorkerReady.class));
        }
        return ready;
    }

    @Override
    public long received() {
        long sum = 0;
        for (Map.Entry<String, String> e : redis.hgetall(runKey).entrySet()) {
            if (e.getKey().startsWith(BenchKeys.PROGRESS)) {
                sum += Long.parseLong(e.getValue());
            }
        }
        return sum;
    }

    @Override
    public List<WorkerResult> finish(Duration timeout) throws InterruptedException {
        redis.hset(runKey, BenchKeys.FINISH, "1");
        finished = true;
        Map<String, String> answers = await(BenchKeys.RESULT, timeout);
        List<WorkerResult> results = new ArrayList<>();
        for (String agent : agents) {
            results.add(ReportWriter.JSON.readValue(answers.get(BenchKeys.RESULT + agent), WorkerResult.class));
        }
        redis.expire(runKey, RUN_TTL);
        return results;
    }

    /** Waits until every agent has posted {@code prefix + name}; fails fast when one posted a failure. */
    private Map<String, String> await(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, String> answers = redis.hgetall(runKey);
            for (String agent : agents) {
                String failure = answers.get(BenchKeys.FAILED + agent);
                if (failure != null) {
                    throw new IllegalStateException("agent " + agent + " failed: " + failure);
                }
            }
            if (agents.stream().allMatch(a -> answers.containsKey(prefix + a))) {
                return answers;
            }
            if (System.nanoTime() >= deadline) {
                List<String> missing = agents.stream().filter(a -> !answers.containsKey(prefix + a)).toList();
                throw new IllegalStateException("no " + prefix.replace(":", "") + " from agents " + missing + " within " + timeout);
            }
            Thread.sleep(POLL.toMillis()); // the agents answer through Redis; polling it is the protocol
        }
    }

    @Override
    public void close() {
        if (!finished) {
            redis.hset(runKey, BenchKeys.ABORT, "1");
            redis.expire(runKey, RUN_TTL);
        }
    }
}
