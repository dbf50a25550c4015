package dev.herald.bench.cli;

import dev.herald.bench.distributed.Agent;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a bench agent: register in Redis and run this agent's slice of each task the coordinator hands out, until stopped.")
final class AgentCommand implements Callable<Integer> {

    @Mixin
    RedisOption redis;

    @Option(names = "--name", description = "Unique agent name. Default: <host>-<pid>")
    String name;

    @Option(names = "--processes", defaultValue = "1",
            description = "Worker JVMs this agent forks for its devices; 1 = in this process. Default: ${DEFAULT-VALUE}")
    int processes;

    @Option(names = "--worker-jvm-options", defaultValue = "-Xmx1g", description = "JVM options of forked workers. Default: ${DEFAULT-VALUE}")
    String workerJvmOptions;

    @Override
    public Integer call() throws InterruptedException {
        if (processes < 1) {
            throw new IllegalArgumentException("--processes must be >= 1");
        }
        RunOptions options = new RunOptions();
        options.workerJvmOptions = workerJvmOptions;
        Agent.Settings settings = new Agent.Settings(name != null ? name : Agent.Settings.defaultName(), processes,
                options.jvmOptions(), Duration.ofSeconds(2), Duration.ofMillis(200));
        RedisClient client = redis.client();
        Agent agent = new Agent(client, settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            client.shutdown();
            stopped.countDown();
        }, "bench-agent-stop"));
        agent.start();
        System.out.println("agent " + agent.name() + " registered at " + redis.uri + "; waiting for tasks (Ctrl-C stops)");
        stopped.await();
        return 0;
    }
}
