package dev.herald.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.message.IntakeMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.intake.IntakeConsumer;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XClaimArgs;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Nothing read from the intake is lost when a dispatcher stops: its own unacknowledged entries are
 * re-read when it starts again under the same consumer name, a dead consumer's entries are claimed,
 * and a stop finishes the batch in hand.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "spring.reactor.netty.shutdown-quiet-period=0s",
                // Far longer than this test runs: an entry of our own consumer is never claimed, only re-read.
                "herald.dispatcher.claim-idle=PT1H",
                // The one heartbeat written before start must outlast a slow start on a busy machine.
                "herald.dispatcher.node-liveness=PT1H"})
@DirtiesContext
class DispatcherRestartTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final String NODE = "node-1";
    static final String CONSUMER = "dispatcher-1";
    static final String DEAD_CONSUMER = "dispatcher-dead";
    static TestRedis redis;
    static IntakeMessage readBeforeStart;
    static String readBeforeStartEntry;
    static IntakeMessage abandoned;
    static String abandonedEntry;

    @Autowired
    IntakeConsumer consumer;

    @DynamicPropertySource
    static void saver(DynamicPropertyRegistry registry) {
        registry.add("herald.dispatcher.consumer-name", () -> CONSUMER);
    }

    /** Runs before the context starts: the state a dispatcher killed mid-batch leaves behind. */
    @BeforeAll
    static void leaveEntriesPending() {
        redis = TestRedis.connect(REDIS);
        redis.heartbeat(NODE, System.currentTimeMillis());
        redis.route("device-1", NODE);
        redis.route("device-2", NODE);
        redis.createGroup();

        readBeforeStart = TestRedis.unicast("device-1", true);
        readBeforeStartEntry = redis.intake(readBeforeStart);
        assertThat(redis.readAs(CONSUMER)).hasSize(1);

        abandoned = TestRedis.unicast("device-2", true);
        abandonedEntry = redis.intake(abandoned);
        assertThat(redis.readAs(DEAD_CONSUMER)).hasSize(1);
        // As if the dead consumer had held it for two hours, past claim-idle.
        redis.sync().xclaim(TestRedis.INTAKE, Consumer.from(RedisKeys.DISPATCHER_GROUP, DEAD_CONSUMER),
                new XClaimArgs().minIdleTime(0).idle(Duration.ofHours(2)), abandonedEntry);
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    @Test
    void entryReadButNotAcknowledgedBeforeARestartIsDispatchedAtStart() {
        await().untilAsserted(() -> assertThat(redis.commands(NODE, readBeforeStart.id())).hasSize(1));
        assertThat(redis.pending("device-1")).contains(readBeforeStart.id());
        await().untilAsserted(() -> {
            assertThat(redis.intakePending(readBeforeStartEntry)).isFalse();
            assertThat(redis.intakeHolds(readBeforeStartEntry)).isFalse();
        });
    }

    @Test
    void entryAbandonedByADeadConsumerIsClaimedAndDispatched() {
        await().untilAsserted(() -> assertThat(redis.commands(NODE, abandoned.id())).hasSize(1));
        await().untilAsserted(() -> assertThat(redis.sync().xpending(TestRedis.INTAKE,
                Consumer.from(RedisKeys.DISPATCHER_GROUP, DEAD_CONSUMER), Range.create("-", "+"), Limit.from(10)))
                .isEmpty());
    }

    @Test
    void stopFinishesTheBatchInHandThenStartResumes() throws InterruptedException {
        IntakeMessage inHand = TestRedis.unicast("device-1", true);
        String entry = redis.intake(inHand);
        // The idle consumer, blocked in its read, is handed the entry as it is added; pausing writes then holds
        // the batch's store (and everything the pipeline sent after it) in hand.
        redis.pauseWrites();
        try {
            await().until(() -> redis.intakePending(entry));

            CountDownLatch stopped = new CountDownLatch(1);
            consumer.stop(stopped::countDown);

            assertThat(stopped.getCount()).as("still finishing the batch in hand").isEqualTo(1);
            assertThat(redis.commands(NODE, inHand.id())).isEmpty();
            redis.unpause();
            await().until(() -> stopped.getCount() == 0);
        } finally {
            redis.unpause();
        }
        assertThat(redis.commands(NODE, inHand.id())).hasSize(1);
        assertThat(redis.intakePending(entry)).isFalse();
        assertThat(consumer.isRunning()).isFalse();

        consumer.start();
        IntakeMessage afterRestart = TestRedis.unicast("device-2", false);
        redis.intake(afterRestart);
        await().untilAsserted(() -> assertThat(redis.commands(NODE, afterRestart.id())).hasSize(1));
    }
}
