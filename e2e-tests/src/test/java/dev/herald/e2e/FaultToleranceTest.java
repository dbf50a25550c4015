package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.DeviceToken;
import dev.herald.testsupport.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults under load, against the real suite: a fleet of devices stays connected while pushes flow at a
 * steady rate, and one thing at a time is killed or cut off, then restored. Each fault prints a line
 * sent / delivered / duplicates / lost, and fails on any offline-flagged message lost, on any message a
 * device's app saw twice, and on any online-only loss the status API would hide. The table of all faults
 * is printed at the end and written to {@code target/fault-report.md}. Sizes: {@link FaultSettings}.
 *
 * <p>Each fault leaves the suite as it found it (every process running, Redis and ZooKeeper up), so the
 * other end-to-end classes run on a healthy suite whatever the order.
 */
@ExtendWith(HeraldSuite.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceTest {

    private static final String APP = "faults";
    private static final String KEY = "faults-key";
    private static final String SECRET = "faults-secret-0123456789";
    private static final Duration RECOVERY = Duration.ofSeconds(90);

    private static final List<FaultOutcome> outcomes = new ArrayList<>();
    private static FaultSettings settings;
    private static HeraldSuite suite;
    private static PushApi api;
    private static Fleet fleet;
    private static SteadyLoad load;
    private static DeliveryAudit audit;

    @BeforeAll
    static void connectFleet() {
        suite = HeraldSuite.get();
        settings = FaultSettings.fromSystemProperties();
        // An app of its own: its broadcasts must not reach other classes' devices, nor theirs ours.
        suite.admin().createApp(APP, KEY, SECRET, "default");
        api = new PushApi(suite.api.baseUrl(), APP, KEY, SECRET);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.post("/v1/apps/" + APP + "/device-tokens",
                "{\"deviceId\":\"probe\"}").status() == 201);
        // A device refused as UNKNOWN_APP would not retry: wait until both access nodes know the app.
        for (int port : List.of(suite.access1Port, suite.access2Port)) {
            String probe = "probe-" + UUID.randomUUID();
            String token = DeviceToken.mint(SECRET, APP, probe, Instant.now().plusSeconds(300));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                try (Device d = new Device(APP, probe, token).connect(port)) {
                    return d.connected();
                }
            });
        }
        long started = System.nanoTime();
        fleet = Fleet.connect(APP, SECRET, "flt-" + UUID.randomUUID().toString().substring(0, 8) + "-",
                settings.devices(), List.of(suite.access1Port, suite.access2Port), Duration.ofSeconds(120));
        System.out.printf("FAULT fleet of %d devices connected in %d ms (%s); %s%n", fleet.size(),
                (System.nanoTime() - started) / 1_000_000, fleet.connectedPerPort(), settings);
        load = new SteadyLoad(api, fleet, settings);
        audit = new DeliveryAudit(fleet, api);
        // Warm every path (JIT, connection pools) before the first fault; not counted.
        try (SteadyLoad.Round warmUp = load.start("warm-up", 1)) {
            warmUp.runFor(settings.loadBefore());
        }
    }

    @AfterAll
    static void report() throws IOException {
        if (fleet != null) {
            fleet.close();
        }
        StringBuilder table = new StringBuilder(FaultOutcome.tableHeader()).append('\n');
        outcomes.forEach(o -> table.append(o.tableRow()).append('\n'));
        String report = "Fault suite: " + settings + "\n\n" + table;
        System.out.println(report);
        Files.writeString(Path.of("target", "fault-report.md"), report);
    }

    @Test
    @Order(1)
    void accessNodeKilledItsDevicesMoveToTheOtherNodeAndGetEveryOfflineMessageOnce() {
        List<CompletableFuture<ServiceProcess>> restarted = new ArrayList<>();
        FaultOutcome outcome;
        try {
            outcome = underLoad("access-node-kill-9", round -> {
                long onVictim = fleet.connectedPerPort().getOrDefault(suite.access1Port, 0L);
                assertThat(onVictim).as("devices on access-1 before the kill").isPositive();

                suite.access1.kill();
                // Its devices no longer need it: it starts again while the load and the count go on.
                restarted.add(CompletableFuture.supplyAsync(() -> suite.access1.restart(RECOVERY)));
                await().atMost(RECOVERY).until(() -> fleet.connected() == fleet.size()
                        && fleet.connectedPerPort().getOrDefault(suite.access1Port, 0L) == 0);
                System.out.printf("FAULT %d devices of access-1 reconnected to access-2: %s%n", onVictim,
                        fleet.connectedPerPort());
            });
        } finally {
            restarted.forEach(CompletableFuture::join);
        }
        assertNothingLostNorSeenTwice(outcome);
    }

    @Test
    @Order(2)
    void dispatcherKilledMidLoadAndRestartedLosesNoOfflineMessage() {
        assertNothingLostNorSeenTwice(killAndRestart("dispatcher-kill-9", suite.dispatcher));
    }

    @Test
    @Order(3)
    void saverKilledMidLoadAndRestartedLosesNoOfflineMessage() {
        assertNothingLostNorSeenTwice(killAndRestart("saver-kill-9", suite.saver));
    }

    @Test
    @Order(4)
    void pushApiKilledMidLoadAndRestartedLosesNoAcceptedMessage() {
        FaultOutcome outcome = killAndRestart("push-api-kill-9", suite.api);
        assertNothingLostNorSeenTwice(outcome);
        assertThat(outcome.unanswered()).as("requests cut off while push-api was dead").isPositive();
    }

    @Test
    @Order(5)
    void redisKilledAndRestartedLosesNoAcceptedMessageAndServicesRecoverByThemselves() {
        FaultOutcome outcome = underLoad("redis-kill-9", round -> {
            suite.redis.kill();
            try {
                awaitHealth("DOWN while Redis is dead", status -> status == 503);
            } finally {
                suite.redis.startAgain();
            }
            awaitHealth("UP once Redis is back", status -> status == 200);
        });
        assertNothingLostNorSeenTwice(outcome);
        assertThat(outcome.refused()).as("requests refused while Redis was dead").isPositive();
    }

    @Test
    @Order(6)
    void zooKeeperDownDeliveryContinuesOnTheLastKnownConfig() {
        FaultOutcome outcome = underLoad("zookeeper-down-" + settings.zooKeeperOutage().toSeconds() + "s", round -> {
            stopZooKeeper();
            long downSince = System.nanoTime();
            try {
                for (ServiceProcess s : suite.deliveryServices()) {
                    await().alias(s.name() + " readiness DOWN without ZooKeeper").atMost(RECOVERY)
                            .until(() -> s.readinessStatus() == 503);
                }
                // Keep it down for the whole outage while the load goes on, then prove that what was sent
                // meanwhile has arrived before ZooKeeper comes back.
                round.runFor(settings.zooKeeperOutage().minusNanos(System.nanoTime() - downSince));
                long checkpoint = System.nanoTime();
                audit.awaitOfflineDelivered(round,
                        s -> s.acceptedAtNanos() >= downSince && s.acceptedAtNanos() <= checkpoint,
                        settings.stall().multipliedBy(2));
                System.out.printf("FAULT ZooKeeper down for %d ms; everything sent meanwhile was delivered%n",
                        (System.nanoTime() - downSince) / 1_000_000);
            } finally {
                restartZooKeeper();
            }
            for (ServiceProcess s : suite.deliveryServices()) {
                await().atMost(RECOVERY).until(() -> s.readinessStatus() == 200);
            }
        });
        assertNothingLostNorSeenTwice(outcome);
    }

    private FaultOutcome killAndRestart(String name, ServiceProcess victim) {
        return underLoad(name, round -> {
            victim.kill();
            victim.restart(RECOVERY);
        });
    }

    /** Load before, the fault (which restores the system), load after; then settles and counts. */
    private FaultOutcome underLoad(String name, Consumer<SteadyLoad.Round> fault) {
        SteadyLoad.Round round = load.start(name, name.hashCode());
        try (round) {
            round.runFor(settings.loadBefore());
            fault.accept(round);
            round.runFor(settings.loadAfter());
        }
        FaultOutcome outcome = audit.settle(round, settings.stall(), settings.settle());
        outcomes.add(outcome);
        System.out.println(outcome.line());
        if (!round.refusedByStatus().isEmpty()) {
            System.out.println("FAULT " + name + " refused requests by status: " + round.refusedByStatus());
        }
        // A failure push-api cannot help is a retryable 503, never a 500.
        assertThat(round.refusedByStatus().keySet())
                .as("statuses of refused sends in %s; push-api's unexpected failures:%n%s", name,
                        suite.api.logExcerpts("Unexpected failure", 40, 3))
                .allMatch(s -> s == 503);
        return outcome;
    }

    private static void assertNothingLostNorSeenTwice(FaultOutcome outcome) {
        assertThat(outcome.offlineSent()).as("offline-flagged pairs sent").isPositive();
        assertThat(outcome.offlineLost()).as("offline-flagged messages lost in %s: %s", outcome.fault(),
                String.join("\n", outcome.missing())).isZero();
        assertThat(outcome.duplicatesToListener()).as("messages a device's app received twice").isZero();
        assertThat(outcome.onlineLostClaimed()).as("online-only messages lost but reported delivered").isZero();
    }

    private static void awaitHealth(String what, IntPredicate expected) {
        for (ServiceProcess s : suite.deliveryServices()) {
            await().alias(s.name() + " health " + what).atMost(RECOVERY).until(() -> expected.test(s.healthStatus()));
        }
    }

    private static void stopZooKeeper() {
        try {
            suite.zookeeper.stop();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void restartZooKeeper() {
        try {
            suite.zookeeper.restart();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
