package dev.herald.core.redis.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.DedicatedConnection;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The stream consumers' loop and group reading, against a real Redis. */
class StreamWorkerTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static RedisClient client;
    private static StatefulRedisConnection<String, String> admin;

    @BeforeAll
    static void connect() {
        client = RedisClient.create("redis://" + REDIS.host() + ":" + REDIS.port());
        admin = client.connect();
    }

    @AfterAll
    static void close() {
        admin.close();
        client.shutdown();
    }

    /** Reads {@code stream} as consumer {@code name} of group g, records what it handled, acknowledges it. */
    private static StreamWorker consumer(String stream, String name, List<String> handled, Duration block) {
        GroupReader reader = new GroupReader(stream, Consumer.from("g", name), Duration.ofMillis(200), 10);
        StreamWorker[] worker = new StreamWorker[1];
        worker[0] = new StreamWorker("test-" + name, () -> client, null, new StreamWorker.Loop() {
            @Override
            public void setUp(DedicatedConnection connection) {
                reader.setUp(connection);
            }

            @Override
            public void turn(DedicatedConnection connection) {
                reader.claimAbandoned(connection);
                List<StreamMessage<String, String>> entries = reader.read(connection, 10, block);
                worker[0].inHand(() -> {
                    for (StreamMessage<String, String> e : entries) {
                        handled.add(e.getBody().get("v"));
                        connection.sync().xack(stream, "g", e.getId());
                    }
                });
            }
        });
        return worker[0];
    }

    @Test
    void entriesAppendedBeforeTheGroupExistedAreReadAndAStopEndsABlockedReadAtOnce() throws InterruptedException {
        admin.sync().xadd("s1", Map.of("v", "early"));
        List<String> handled = new CopyOnWriteArrayList<>();
        StreamWorker worker = consumer("s1", "a", handled, Duration.ofSeconds(30));
        worker.start();
        admin.sync().xadd("s1", Map.of("v", "later"));
        await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 2);
        assertThat(handled).containsExactly("early", "later");

        // the worker now sits in a 30 s BLOCK: a stop must not wait it out
        CountDownLatch stopped = new CountDownLatch(1);
        worker.stop(stopped::countDown);
        assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.isRunning()).isFalse();
    }

    @Test
    void anEntryLeftPendingByAConsumerThatDiedIsClaimedByAnother() {
        admin.sync().xgroupCreate(XReadArgs.StreamOffset.from("s2", "0"), "g", XGroupCreateArgs.Builder.mkstream());
        admin.sync().xadd("s2", Map.of("v", "orphan"));
        // consumer "dead" reads it and never acknowledges it
        admin.sync().xreadgroup(Consumer.from("g", "dead"), XReadArgs.StreamOffset.lastConsumed("s2"));

        List<String> handled = new CopyOnWriteArrayList<>();
        StreamWorker worker = consumer("s2", "alive", handled, Duration.ofMillis(100));
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.contains("orphan"));
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.sync().xpending("s2", "g").getCount() == 0);
        } finally {
            worker.stopAndWait(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFailedTurnIsFollowedByANewSetUpAndTheLoopGoesOn() {
        AtomicInteger setUps = new AtomicInteger();
        AtomicInteger turns = new AtomicInteger();
        StreamWorker worker = new StreamWorker("test-failing", () -> client, null, new StreamWorker.Loop() {
            @Override
            public void setUp(DedicatedConnection connection) {
                setUps.incrementAndGet();
            }

            @Override
            public void turn(DedicatedConnection connection) {
                if (turns.incrementAndGet() == 1) {
                    throw new IllegalStateException("first turn fails");
                }
                connection.sync().ping();
            }
        });
        worker.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> turns.get() >= 3);
            assertThat(setUps.get()).as("the start's set-up and one after the failure").isEqualTo(2);
        } finally {
            worker.stopAndWait(Duration.ofSeconds(5));
        }
    }

    @Test
    void workInHandIsFinishedBeforeTheStopCompletes() throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finishedWork = new AtomicInteger();
        StreamWorker[] worker = new StreamWorker[1];
        worker[0] = new StreamWorker("test-in-hand", () -> client, null, new StreamWorker.Loop() {
            @Override
            public void setUp(DedicatedConnection connection) {
            }

            @Override
            public void turn(DedicatedConnection connection) {
                worker[0].inHand(() -> {
                    working.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    connection.sync().ping(); // the connection was not closed under the work
                    finishedWork.incrementAndGet();
                });
            }
        });
        worker[0].start();
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch stopped = new CountDownLatch(1);
        worker[0].stop(stopped::countDown);
        assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).as("not before the work in hand is done").isFalse();
        release.countDown();
        assertThat(stopped.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(finishedWork.get()).isEqualTo(1);
    }
}
