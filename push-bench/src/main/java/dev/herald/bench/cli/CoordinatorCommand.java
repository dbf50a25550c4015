package dev.herald.bench.cli;

import dev.herald.bench.distributed.Coordinator;
import io.lettuce.core.RedisClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "coordinator", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the coordinator of distributed runs: REST (POST /tasks, GET /tasks, GET /tasks/{id}, GET /agents); results are kept in Redis.")
final class CoordinatorCommand implements Callable<Integer> {

    @Mixin
    RedisOption redis;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind. Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "8099", description = "HTTP port. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--agent-liveness", defaultValue = "10",
            description = "Seconds since an agent's last heartbeat after which it gets no tasks. Default: ${DEFAULT-VALUE}")
    double agentLiveness;

    @Override
    public Integer call() throws Exception {
        RedisClient client = redis.client();
        Coordinator coordinator = new Coordinator(client, new InetSocketAddress(host, port), new TaskArguments(),
                Duration.ofMillis((long) (agentLiveness * 1000)), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            coordinator.close();
            client.shutdown();
            stopped.countDown();
        }, "bench-coordinator-stop"));
        System.out.println("coordinator on http://" + host + ":" + coordinator.port() + " (Redis " + redis.uri + ")");
        stopped.await();
        return 0;
    }
}
