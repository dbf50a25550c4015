package dev.herald.e2e;

import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole delivery path as real processes: one redis-server, saver, dispatcher, two access nodes and
 * push-api, each started from its executable jar on free ports. Started once per test run and shared
 * by every end-to-end test class (devices use unique ids, so tests do not see each other's traffic);
 * stopped when the run ends.
 */
public final class HeraldSuite implements BeforeAllCallback, AutoCloseable {

    static final String APP = "demo";
    static final String APP_KEY = "demo-key";
    static final String APP_SECRET = "demo-secret-0123456789";
    static final String OTHER_APP = "other";
    static final String OTHER_KEY = "other-key";
    static final String OTHER_SECRET = "other-secret-0123456789";
    static final Duration READY = Duration.ofSeconds(90);

    private static HeraldSuite running;

    RedisServer redis;
    ServiceProcess saver;
    ServiceProcess dispatcher;
    ServiceProcess access1;
    ServiceProcess access2;
    ServiceProcess api;
    int access1Port;
    int access2Port;

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (HeraldSuite.class) {
            if (running == null) {
                HeraldSuite suite = new HeraldSuite();
                try {
                    suite.start();
                } catch (RuntimeException e) {
                    suite.close();
                    throw e;
                }
                running = suite;
                // Closed by JUnit when the whole run ends (the root store closes AutoCloseable values).
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(HeraldSuite.class, suite);
            }
        }
    }

    static HeraldSuite get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(HeraldSuite.class)");
        }
        return running;
    }

    private void start() {
        redis = RedisServer.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "herald-suite-stop"));
        List<String> common = List.of(
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redis.port(),
                "--logging.level.dev.herald=DEBUG");
        List<String> apps = List.of(
                "--herald.apps[0].id=" + APP, "--herald.apps[0].name=Demo",
                "--herald.apps[0].key=" + APP_KEY, "--herald.apps[0].secret=" + APP_SECRET,
                "--herald.apps[1].id=" + OTHER_APP, "--herald.apps[1].name=Other",
                "--herald.apps[1].key=" + OTHER_KEY, "--herald.apps[1].secret=" + OTHER_SECRET);

        int saverPort = RedisServer.freePort();
        String saverUrl = "http://127.0.0.1:" + saverPort;
        saver = ServiceProcess.launch("saver", "saver-service", saverPort, common);
        dispatcher = ServiceProcess.launch("dispatcher", "dispatcher-service", RedisServer.freePort(),
                concat(common, List.of("--herald.dispatcher.saver-url=" + saverUrl,
                        "--herald.dispatcher.consumer-name=dispatcher-e2e")));
        access1Port = RedisServer.freePort();
        access2Port = RedisServer.freePort();
        access1 = ServiceProcess.launch("access-1", "access-service", RedisServer.freePort(),
                concat(common, apps, accessArgs("access-1", access1Port, saverUrl)));
        access2 = ServiceProcess.launch("access-2", "access-service", RedisServer.freePort(),
                concat(common, apps, accessArgs("access-2", access2Port, saverUrl)));
        api = ServiceProcess.launch("push-api", "push-api", RedisServer.freePort(), concat(common, apps));

        CompletableFuture.allOf(
                ready(saver), ready(dispatcher), ready(access1), ready(access2), ready(api)).join();
    }

    private static List<String> accessArgs(String nodeId, int port, String saverUrl) {
        return List.of("--herald.access.node-id=" + nodeId,
                "--herald.access.host=127.0.0.1",
                "--herald.access.port=" + port,
                "--herald.access.saver-url=" + saverUrl);
    }

    private static CompletableFuture<ServiceProcess> ready(ServiceProcess p) {
        return CompletableFuture.supplyAsync(() -> p.awaitReady(READY));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    @Override
    public synchronized void close() {
        for (ServiceProcess p : new ServiceProcess[] {api, access1, access2, dispatcher, saver}) {
            if (p != null) {
                p.stop();
            }
        }
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }
}
