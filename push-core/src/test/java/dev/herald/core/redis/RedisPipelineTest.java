package dev.herald.core.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RedisPipeline} against a real redis-server: batches, fail-fast, concurrent submitters, restarts. */
class RedisPipelineTest {

    private static RedisServer redis;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private RedisClient client;

    @BeforeEach
    void connect() {
        client = client();
    }

    @AfterEach
    void disconnect() {
        client.shutdown();
    }

    private static RedisClient client() {
        return RedisClient.create(RedisURI.builder().withHost(redis.host()).withPort(redis.port())
                .withTimeout(Duration.ofSeconds(5)).build());
    }

    @Test
    void everyCommandOfABatchIsSentAndAnsweredInOrder() throws Exception {
        try (RedisPipeline pipeline = new RedisPipeline(() -> client)) {
            List<String> values = pipeline.submit(commands -> {
                List<CompletableFuture<String>> gets = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    commands.set("batch:" + i, "v" + i);
                    gets.add(commands.get("batch:" + i).toCompletableFuture());
                }
                return RedisPipeline.allOf(gets.toArray(CompletableFuture<?>[]::new))
                        .thenApply(done -> gets.stream().map(CompletableFuture::join).toList());
            }).get(5, TimeUnit.SECONDS);

            assertThat(values).hasSize(500).startsWith("v0", "v1").endsWith("v499");
        }
    }

    @Test
    void concurrentSubmittersAllGetTheirAnswers() throws Exception {
        try (RedisPipeline pipeline = new RedisPipeline(() -> client)) {
            List<CompletableFuture<Long>> counts = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                CompletableFuture<Long> last = new CompletableFuture<>();
                counts.add(last);
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 200; i++) {
                        boolean lastOne = i == 199;
                        pipeline.submit(commands -> commands.incr("concurrent").toCompletableFuture())
                                .whenComplete((n, e) -> {
                                    if (lastOne) {
                                        if (e != null) {
                                            last.completeExceptionally(e);
                                        } else {
                                            last.complete(n);
                                        }
                                    }
                                });
                    }
                });
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            CompletableFuture.allOf(counts.toArray(CompletableFuture<?>[]::new)).get(10, TimeUnit.SECONDS);

            Long total = pipeline.submit(commands -> commands.get("concurrent").toCompletableFuture())
                    .get(5, TimeUnit.SECONDS).transform(Long::valueOf);
            assertThat(total).isEqualTo(8 * 200);
        }
    }

    @Test
    void allOfFailsWithTheFirstFailedCommand() {
        try (RedisPipeline pipeline = new RedisPipeline(() -> client)) {
            CompletableFuture<Void> batch = pipeline.submit(commands -> {
                commands.set("not-a-hash", "x");
                return RedisPipeline.allOf(commands.hincrby("not-a-hash", "f", 1).toCompletableFuture(),
                        commands.get("not-a-hash").toCompletableFuture());
            });

            assertThatThrownBy(() -> batch.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RedisCommandExecutionException.class).hasMessageContaining("WRONGTYPE");
        }
    }

    @Test
    void aBatchIssuedWhileRedisIsDownLeavesWhenItIsBackWithoutWaitingForAnotherBatch() throws Exception {
        try (RedisPipeline pipeline = new RedisPipeline(() -> client)) {
            assertThat(pipeline.submit(commands -> commands.ping().toCompletableFuture()).get(5, TimeUnit.SECONDS))
                    .isEqualTo("PONG");

            redis.stop();
            CompletableFuture<String> duringOutage = pipeline.submit(commands -> commands.set("outage", "kept")
                    .toCompletableFuture());
            redis.startAgain();

            // No later submit flushes it: the reconnect must.
            assertThat(duringOutage.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(pipeline.submit(commands -> commands.clientList().toCompletableFuture())
                    .get(5, TimeUnit.SECONDS).lines().filter(line -> !line.isBlank()).count())
                    .as("one connection: the pipeline's, reconnected, not a second one opened beside it")
                    .isEqualTo(1);
        }
    }

    @Test
    void aClientShutDownUnderItIsReplacedByTheNextOne() throws Exception {
        AtomicReference<RedisClient> current = new AtomicReference<>(client);
        try (RedisPipeline pipeline = new RedisPipeline(current::get)) {
            pipeline.submit(commands -> commands.set("survivor", "1").toCompletableFuture()).get(5, TimeUnit.SECONDS);

            // What a paused Spring context does: the connection factory stops its client, and a restart makes a new one.
            current.getAndSet(client()).shutdown();

            assertThat(pipeline.submit(commands -> commands.get("survivor").toCompletableFuture())
                    .get(5, TimeUnit.SECONDS)).isEqualTo("1");
        } finally {
            current.get().shutdown();
        }
    }

    @Test
    void aClosedPipelineRefusesBatches() {
        RedisPipeline pipeline = new RedisPipeline(() -> client);
        pipeline.close();

        assertThatThrownBy(() -> pipeline.submit(commands -> commands.ping()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
