package dev.herald.bench.jmh;

import dev.herald.bench.peer.PeerServer;
import dev.herald.core.redis.RedisKeys;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dispatcher's route look-up for one batch of devices, four ways: one awaited GET per device (what
 * the hot path must never do); all GETs issued before awaiting any (Lettuce pipelines them on its one
 * connection, but with auto-flush each command is its own write to the socket); the same with
 * auto-flush off and one flush for the batch (one write; needs a connection of its own, since the
 * setting is per connection); and one MGET (fewest bytes and round trips, but under Redis Cluster every
 * key must be in one slot, which the {@code {app:device}} hash tags do not give). Runs against a real
 * redis-server on a free port, started and stopped by the benchmark.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisBatchingBench {

    @Param({"256"})
    int batch;

    private Path dir;
    private PeerServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> sync;
    private RedisAsyncCommands<String, String> async;
    private StatefulRedisConnection<String, String> batchConnection;
    private RedisAsyncCommands<String, String> batchAsync;
    private String[] keys;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("herald-bench-redis");
        server = PeerServer.redis(dir);
        client = RedisClient.create("redis://127.0.0.1:" + server.port());
        connection = client.connect();
        sync = connection.sync();
        async = connection.async();
        batchConnection = client.connect();
        batchConnection.setAutoFlushCommands(false);
        batchAsync = batchConnection.async();
        keys = new String[batch];
        Map<String, String> routes = new HashMap<>();
        for (int i = 0; i < batch; i++) {
            keys[i] = RedisKeys.route("demo", "device-" + i);
            // every other device online, as a mixed batch would be
            if (i % 2 == 0) {
                routes.put(keys[i], "access-" + (i % 4));
            }
        }
        sync.mset(routes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        connection.close();
        batchConnection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Benchmark
    public int awaitedGets() {
        int online = 0;
        for (String key : keys) {
            if (sync.get(key) != null) {
                online++;
            }
        }
        return online;
    }

    @Benchmark
    public int pipelinedGets() {
        List<RedisFuture<String>> futures = new ArrayList<>(keys.length);
        for (String key : keys) {
            futures.add(async.get(key));
        }
        return online(futures);
    }

    private static int online(List<RedisFuture<String>> futures) {
        LettuceFutures.awaitAll(Duration.ofSeconds(10), futures.toArray(RedisFuture[]::new));
        int online = 0;
        for (RedisFuture<String> f : futures) {
            if (f.toCompletableFuture().getNow(null) != null) {
                online++;
            }
        }
        return online;
    }

    @Benchmark
    public int pipelinedGetsOneFlush() {
        List<RedisFuture<String>> futures = new ArrayList<>(keys.length);
        for (String key : keys) {
            futures.add(batchAsync.get(key));
        }
        batchConnection.flushCommands();
        return online(futures);
    }

    @Benchmark
    public int mget() {
        int online = 0;
        for (KeyValue<String, String> kv : sync.mget(keys)) {
            if (kv.hasValue()) {
                online++;
            }
        }
        return online;
    }
}
