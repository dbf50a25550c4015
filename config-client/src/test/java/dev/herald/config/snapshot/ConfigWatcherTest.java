package dev.herald.config.snapshot;

import static dev.herald.config.testing.ZooKeeperExtension.appJson;
import static dev.herald.config.testing.ZooKeeperExtension.blacklistJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.ZooKeeperHealthIndicator;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.app.App;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.health.contributor.Status;

class ConfigWatcherTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration APPLY = ZooKeeperExtension.applyWithin();

    private ZooKeeperClient client;
    private ConfigWatcher watcher;
    private SnapshotAppDirectory apps;
    private ZooKeeperHealthIndicator health;

    @BeforeEach
    void start() {
        ZK.clear();
        HeraldZooKeeperProperties properties = new HeraldZooKeeperProperties(ZK.connectString(), ZooKeeperExtension.ROOT,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2));
        client = new ZooKeeperClient(properties);
        watcher = new ConfigWatcher(client.curator(), properties);
        watcher.start(properties.connectionTimeout());
        apps = new SnapshotAppDirectory(watcher);
        health = new ZooKeeperHealthIndicator(client, watcher);
    }

    @AfterEach
    void stop() {
        watcher.close();
        client.close();
    }

    @Test
    void anEmptyTreeLoadsAsAnEmptySnapshotAndHealthIsUp() {
        assertThat(watcher.loaded()).isTrue();
        assertThat(watcher.current().apps()).isEmpty();
        await().atMost(APPLY).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
        assertThat(health.health().getDetails()).containsEntry("connectString", ZK.connectString())
                .containsKeys("generation", "snapshotAgeMillis");
    }

    @Test
    void anAppWrittenToZooKeeperIsFoundWithinTwoSeconds() {
        ZK.putConfig("apps/fresh", appJson("fresh", "fresh-key", "b", "fresh-secret-0123456789"));

        await().atMost(APPLY).untilAsserted(() -> assertThat(apps.find("fresh")).isPresent());
        App fresh = apps.find("fresh").orElseThrow();
        assertThat(fresh.cell()).isEqualTo("b");
        assertThat(apps.findByKey("fresh-key")).contains(fresh);
        assertThat(apps.apps()).containsExactly(fresh);
    }

    @Test
    void listenersReceiveEachNewSnapshotAfterItBecameCurrent() throws Exception {
        ConcurrentLinkedQueue<Long> seen = new ConcurrentLinkedQueue<>();
        try (AutoCloseable subscription = watcher.subscribe(snapshot -> {
            assertThat(watcher.current().generation()).isGreaterThanOrEqualTo(snapshot.generation());
            if (snapshot.app("listened").isPresent()) {
                seen.add(snapshot.generation());
            }
        })) {
            ZK.putConfig("apps/listened", appJson("listened", "l-key", "default", "l-secret-0123456789"));
            await().atMost(APPLY).until(() -> !seen.isEmpty());
        }
    }

    /**
     * An app whose key and secrets change together, many times, while readers hammer the directory: every
     * reader must see a key and secrets of the same revision, and generations never go back.
     */
    @Test
    void readersNeverObserveHalfAnUpdate() throws Exception {
        ZK.putConfig("apps/rotating", revision(0));
        await().atMost(APPLY).until(() -> apps.find("rotating").isPresent());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                long lastGeneration = 0;
                while (writing.get()) {
                    ConfigSnapshot snapshot = watcher.current();
                    if (snapshot.generation() < lastGeneration) {
                        violations.add("generation went back from " + lastGeneration + " to " + snapshot.generation());
                    }
                    lastGeneration = snapshot.generation();
                    App app = apps.find("rotating").orElse(null);
                    if (app == null) {
                        violations.add("app disappeared during updates");
                        continue;
                    }
                    String revision = app.key().substring("key-".length());
                    if (!app.signingSecret().startsWith("secret-" + revision + "-")
                            || !app.secrets().get(1).startsWith("older-" + revision + "-")
                            || !app.name().equals("rev " + revision)) {
                        violations.add("mixed revision: " + app);
                    }
                    reads.incrementAndGet();
                    Thread.onSpinWait();
                }
            }, "reader-" + r);
            reader.start();
            readers.add(reader);
        }
        int revisions = 100;
        for (int i = 1; i <= revisions; i++) {
            ZK.putConfig("apps/rotating", revision(i));
        }
        await().atMost(APPLY).until(() -> apps.find("rotating").map(App::key).orElse("").equals("key-" + revisions));
        writing.set(false);
        for (Thread reader : readers) {
            reader.join(5_000);
        }
        assertThat(violations).isEmpty();
        assertThat(reads.get()).isPositive();
    }

    private static String revision(int i) {
        return "{\"id\":\"rotating\",\"name\":\"rev " + i + "\",\"key\":\"key-" + i + "\",\"secrets\":[\"secret-" + i
                + "-0123456789abcdef\",\"older-" + i + "-0123456789abcdef\"],\"cell\":\"default\"}";
    }

    @Test
    void offlineStateHidesAnAppAndOnlineBringsItBack() {
        String value = appJson("toggled", "t-key", "default", "t-secret-0123456789");
        ZK.putConfig("apps/toggled", value);
        await().atMost(APPLY).until(() -> apps.find("toggled").isPresent());

        ZK.putConfig("apps/toggled", "offline", value);
        await().atMost(APPLY).until(() -> apps.find("toggled").isEmpty());
        assertThat(apps.findByKey("t-key")).isEmpty();

        ZK.putConfig("apps/toggled", "online", value);
        await().atMost(APPLY).until(() -> apps.find("toggled").isPresent());
    }

    @Test
    void aMalformedNodeIsSkippedAndTheRestOfTheTreeApplies() throws Exception {
        ZK.putConfig("apps/good", appJson("good", "good-key", "default", "good-secret-0123456789"));
        ZK.putRaw("apps/broken", "{\"state\":\"online\",\"value\":");
        ZK.putConfig("global/blacklist-ips", blacklistJson("198.51.100.0/24"));

        await().atMost(APPLY).untilAsserted(() -> {
            assertThat(apps.find("good")).isPresent();
            assertThat(watcher.current().blacklist().blocks(InetAddress.getByName("198.51.100.7"))).isTrue();
        });
        assertThat(apps.find("broken")).isEmpty();

        ZK.putRaw("apps/good", "garbage");
        await().atMost(APPLY).until(() -> apps.find("good").isEmpty());
        assertThat(watcher.current().blacklist().blocks(InetAddress.getByName("198.51.100.7"))).isTrue();
    }

    @Test
    void deletingANodeRemovesItsApp() {
        ZK.putConfig("apps/doomed", appJson("doomed", "d-key", "default", "d-secret-0123456789"));
        await().atMost(APPLY).until(() -> apps.find("doomed").isPresent());

        ZK.deleteConfig("apps/doomed");

        await().atMost(APPLY).until(() -> apps.find("doomed").isEmpty());
    }

    @Test
    void withZooKeeperDownHealthIsDownTheLastSnapshotServesAndChangesResumeAfterRestart() throws Exception {
        ZK.putConfig("apps/kept", appJson("kept", "kept-key", "default", "kept-secret-0123456789"));
        await().atMost(APPLY).until(() -> apps.find("kept").isPresent());
        await().atMost(APPLY).until(() -> health.health().getStatus().equals(Status.UP));

        ZK.stop();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> health.health().getStatus().equals(Status.DOWN));
            assertThat(apps.find("kept")).isPresent();
            assertThat(apps.findByKey("kept-key")).isPresent();
        } finally {
            ZK.restart();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> health.health().getStatus().equals(Status.UP));
        ZK.putConfig("apps/after", appJson("after", "after-key", "default", "after-secret-0123456789"));
        await().atMost(APPLY).until(() -> apps.find("after").isPresent());
        assertThat(apps.find("kept")).isPresent();
    }

    @Test
    void aServiceStartedBeforeZooKeeperRunsWithoutConfigurationThenLoadsItWhenZooKeeperComes() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HeraldZooKeeperProperties properties = new HeraldZooKeeperProperties("127.0.0.1:" + port,
                ZooKeeperExtension.ROOT, Duration.ofSeconds(15), Duration.ofMillis(500), Duration.ofSeconds(2));
        ZooKeeperClient early = new ZooKeeperClient(properties);
        ConfigWatcher earlyWatcher = new ConfigWatcher(early.curator(), properties);
        ZooKeeperHealthIndicator earlyHealth = new ZooKeeperHealthIndicator(early, earlyWatcher);
        long started = System.nanoTime();
        try {
            earlyWatcher.start(properties.connectionTimeout());

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(earlyWatcher.loaded()).isFalse();
            assertThat(earlyWatcher.current()).isSameAs(ConfigSnapshot.EMPTY);
            assertThat(earlyHealth.health().getStatus()).isEqualTo(Status.DOWN);

            try (org.apache.curator.test.TestingServer late = new org.apache.curator.test.TestingServer(port, true)) {
                await().atMost(Duration.ofSeconds(20)).until(earlyWatcher::loaded);
                assertThat(earlyHealth.health().getStatus()).isEqualTo(Status.UP);
                earlyWatcher.close();
                early.close();
            }
        } finally {
            earlyWatcher.close();
            early.close();
        }
    }
}
