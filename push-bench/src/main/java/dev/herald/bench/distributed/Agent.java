package dev.herald.bench.distributed;

import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.worker.ConnectStats;
import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.ForkedWorkers;
import dev.herald.bench.worker.LocalWorker;
import dev.herald.bench.worker.SocketBudget;
import dev.herald.bench.worker.WorkerReady;
import dev.herald.bench.worker.WorkerResult;
import dev.herald.bench.worker.WorkerTask;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bench agent: registers in Redis with a heartbeat, follows the task stream with a blocking read on a
 * connection of its own, and runs the slices assigned to it (one task at a time) with local or forked
 * workers, posting ready, progress and its result to the task's exchange hash.
 */
public final class Agent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Agent.class);
    private static final Duration MAX_TASK = Duration.ofHours(6);

    /**
     * @param heartbeat how often the agent renews its registration (the coordinator's liveness window
     *        should be a few times this)
     * @param poll how often a running task posts progress and looks for "finish"
     */
    public record Settings(String name, int processes, List<String> jvmOptions, Duration heartbeat, Duration poll) {

        public Settings {
            jvmOptions = List.copyOf(jvmOptions);
        }

        public static String defaultName() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "agent";
            }
            return host + "-" + ProcessHandle.current().pid();
        }
    }

    private final Settings settings;
    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisConnection<String, String> streamConnection;
    private final RedisCommands<String, String> redis;
    private final AgentRegistry registry;
    private final AgentInfo info;
    private final ScheduledExecutorService heartbeats;
    private final ExecutorService runner;
    private Thread reader;
    private volatile boolean running = true;

    public Agent(RedisClient client, Settings settings) {
        this.settings = settings;
        this.connection = client.connect();
        // XREAD BLOCK would stall every other command on a shared connection: it gets its own.
        this.streamConnection = client.connect();
        this.redis = connection.sync();
        this.registry = new AgentRegistry(redis, Duration.ZERO);
        this.info = new AgentInfo(settings.name(), host(), ProcessHandle.current().pid(), settings.processes(),
                Instant.now().toString(), null);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "bench-agent-heartbeat"));
        this.runner = Executors.newSingleThreadExecutor(r -> daemon(r, "bench-agent-runner"));
    }

    public String name() {
        return settings.name();
    }

    /** Registers and starts following the task stream; tasks published from now on reach this agent. */
    public void start() {
        // The stream position is taken before registering: a task published after the registration
        // is after it, so it is never missed.
        String from = lastTaskId();
        reader = daemon(() -> readTasks(from), "bench-agent-tasks");
        reader.start();
        registry.heartbeat(info);
        heartbeats.scheduleAtFixedRate(() -> {
            try {
                registry.heartbeat(info);
            } catch (RuntimeException e) {
                log.warn("heartbeat failed: {}", e.toString());
            }
        }, settings.heartbeat().toMillis(), settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS);
        log.info("agent {} registered ({} worker process{})", settings.name(), settings.processes(),
                settings.processes() == 1 ? "" : "es");
    }

    private String lastTaskId() {
        List<StreamMessage<String, String>> last = redis.xrevrange(BenchKeys.TASKS, Range.unbounded(), Limit.from(1));
        return last.isEmpty() ? "0-0" : last.get(0).getId();
    }

    private void readTasks(String from) {
        String offset = from;
        RedisCommands<String, String> stream = streamConnection.sync();
        while (running) {
            try {
                List<StreamMessage<String, String>> entries = stream.xread(XReadArgs.Builder.block(1000).count(16),
                        XReadArgs.StreamOffset.from(BenchKeys.TASKS, offset));
                for (StreamMessage<String, String> entry : entries) {
                    offset = entry.getId();
                    TaskAssignment assignment = ReportWriter.JSON.readValue(entry.getBody().get(BenchKeys.FIELD), TaskAssignment.class);
                    WorkerTask mine = assignment.workers().get(settings.name());
                    if (mine != null) {
                        runner.execute(() -> execute(assignment.taskId(), mine));
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("reading the task stream failed, retrying: {}", e.toString());
                    sleepQuietly(1000);
                }
            }
        }
    }

    private void execute(String taskId, WorkerTask task) {
        String runKey = BenchKeys.run(taskId);
        String me = settings.name();
        int devices = task.devices().devices();
        log.info("task {}: running devices {}..{}", taskId, task.devices().firstDevice(), task.devices().firstDevice() + devices - 1);
        try {
            SocketBudget.check(devices, settings.processes());
        } catch (IllegalArgumentException e) {
            postFailure(runKey, e.getMessage());
            return;
        }
        try (DeviceWorkers workers = settings.processes() > 1
                ? new ForkedWorkers(settings.processes(), settings.jvmOptions(), me)
                : new LocalWorker(me)) {
            List<ConnectStats> connects = new ArrayList<>();
            for (WorkerReady r : workers.start(task.runId(), task.devices(), Duration.ofHours(1))) {
                connects.add(r.connect());
            }
            WorkerReady ready = new WorkerReady(me, devices, ConnectStats.merge(connects));
            redis.hset(runKey, BenchKeys.READY + me, ReportWriter.JSON.writeValueAsString(ready));
            long deadline = System.nanoTime() + MAX_TASK.toNanos();
            while (running && System.nanoTime() < deadline) {
                redis.hset(runKey, BenchKeys.PROGRESS + me, Long.toString(workers.received()));
                List<KeyValue<String, String>> flags = redis.hmget(runKey, BenchKeys.FINISH, BenchKeys.ABORT);
                if (flags.get(1).hasValue()) {
                    log.info("task {} aborted by the coordinator", taskId);
                    return;
                }
                if (flags.get(0).hasValue()) {
                    break;
                }
                Thread.sleep(settings.poll().toMillis()); // the coordinator signals through Redis
            }
            WorkerResult result = WorkerResult.merge(me, devices, workers.finish(Duration.ofMinutes(2)));
            redis.hset(runKey, BenchKeys.RESULT + me, ReportWriter.JSON.writeValueAsString(result));
            log.info("task {} done: {} connected, {} deliveries", taskId, result.connect().connected(), result.receive().deliveries());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            postFailure(runKey, "interrupted");
        } catch (RuntimeException e) {
            log.warn("task {} failed", taskId, e);
            postFailure(runKey, e.toString());
        }
    }

    private void postFailure(String runKey, String why) {
        try {
            redis.hset(runKey, BenchKeys.FAILED + settings.name(), why);
        } catch (RuntimeException e) {
            log.warn("cannot report failure: {}", e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        heartbeats.shutdownNow();
        runner.shutdownNow();
        // Closing the stream connection ends the pending XREAD BLOCK at once instead of after its timeout.
        streamConnection.close();
        try {
            if (reader != null) {
                reader.join(3000);
            }
            runner.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            registry.remove(settings.name());
        } catch (RuntimeException e) {
            log.debug("cannot deregister: {}", e.toString());
        }
        connection.close();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
