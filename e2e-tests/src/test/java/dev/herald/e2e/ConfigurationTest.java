package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.DeviceToken;
import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 4 end to end: config edits at the config-server reach running services through ZooKeeper,
 * discovery follows node deaths, and cells keep their traffic apart.
 */
@ExtendWith(HeraldSuite.class)
class ConfigurationTest {

    private static final Duration HOT_RELOAD = Duration.ofSeconds(2);
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    private final HeraldSuite suite = HeraldSuite.get();
    private final ConfigAdmin admin = suite.admin();

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anAppCreatedThroughTheAdminApiCanPushToADeviceWithoutRestart() {
        String appId = unique("app-");
        String secret = "secret-" + UUID.randomUUID();
        admin.createApp(appId, appId + "-key", secret, "default");

        PushApi api = new PushApi(suite.api.baseUrl(), appId, appId + "-key", secret);
        await().atMost(HOT_RELOAD).until(() -> api.post("/v1/apps/" + appId + "/device-tokens",
                "{\"deviceId\":\"probe\"}").status() == 201);

        String deviceId = unique("dev-");
        try (Device device = new Device(appId, deviceId, api.token(deviceId)).connect(suite.access2Port)) {
            String id = api.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"first push of a new app\"}");
            await().atMost(DELIVERY).until(() -> device.count(id) == 1);
        }
    }

    @Test
    void aSecretRotationReachesPushApiAndAccessNodesWithinTwoSeconds() {
        String appId = unique("rot-");
        String oldSecret = "old-secret-" + UUID.randomUUID();
        String newSecret = "new-secret-" + UUID.randomUUID();
        admin.createApp(appId, appId + "-key", oldSecret, "default");
        PushApi withOld = new PushApi(suite.api.baseUrl(), appId, appId + "-key", oldSecret);
        await().atMost(HOT_RELOAD).until(() -> withOld.send("{\"broadcast\":true,\"text\":\"x\",\"offline\":false}").status() == 202);
        long version = admin.read("apps/" + appId).version();

        // Step 2 of a rotation: the new secret signs, the old one is dropped.
        ConfigAdmin.Reply update = admin.update("apps/" + appId, version,
                ConfigAdmin.appJson(appId, appId + "-key", "default", newSecret));
        long changedAt = System.nanoTime();
        assertThat(update.status()).isEqualTo(200);

        PushApi withNew = new PushApi(suite.api.baseUrl(), appId, appId + "-key", newSecret);
        await().atMost(HOT_RELOAD).until(() -> withNew.send("{\"broadcast\":true,\"text\":\"y\",\"offline\":false}").status() == 202
                && withOld.send("{\"broadcast\":true,\"text\":\"z\",\"offline\":false}").status() == 401);
        String deviceId = unique("dev-");
        String token = DeviceToken.mint(newSecret, appId, deviceId, Instant.now().plusSeconds(300));
        await().atMost(HOT_RELOAD).ignoreExceptions().until(() -> {
            try (Device d = new Device(appId, deviceId, token).connect(suite.access1Port)) {
                return d.connected();
            }
        });
        System.out.printf("secret rotation visible in push-api and access-1 after %d ms%n",
                (System.nanoTime() - changedAt) / 1_000_000);
    }

    @Test
    void aStaleVersionWriteGets409AndChangesNothing() {
        String appId = unique("ver-");
        admin.createApp(appId, appId + "-key", "secret-" + UUID.randomUUID(), "default");
        ConfigAdmin.Reply stale = admin.update("apps/" + appId, 7,
                ConfigAdmin.appJson(appId, appId + "-changed", "default", "secret-" + UUID.randomUUID()));
        assertThat(stale.status()).isEqualTo(409);
        assertThat(admin.read("apps/" + appId).body().path("value").path("key").asText()).isEqualTo(appId + "-key");
    }

    @Test
    void aBlacklistedAddressIsRefusedAtConnect() throws Exception {
        ConfigAdmin.Reply current = admin.read("global/blacklist-ips");
        long version = current.version();
        assertThat(admin.update("global/blacklist-ips", version, "{\"entries\":[\"127.0.0.2/32\"]}").status()).isEqualTo(200);
        try {
            await().atMost(HOT_RELOAD).until(() -> closedWithoutAnswer(InetAddress.getByName("127.0.0.2")));
            assertThat(closedWithoutAnswer(InetAddress.getByName("127.0.0.3"))).isFalse();
        } finally {
            admin.update("global/blacklist-ips", version + 1, "{\"entries\":[]}");
        }
    }

    /**
     * Connects to access-1 from {@code source} and sends a CONNECT with a bad token: a blocked address is
     * closed before anything is read (EOF, no bytes); an allowed one gets a CONNACK refusal back.
     */
    private boolean closedWithoutAnswer(InetAddress source) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", suite.access1Port), 2000);
            socket.setSoTimeout(3000);
            try {
                socket.getOutputStream().write(new byte[] {0, 0, 0, 7, 1, 3, 0, 0, 0, 0, 1}); // a PING before CONNECT
                socket.getOutputStream().flush();
            } catch (IOException closed) {
                return true;
            }
            InputStream in = socket.getInputStream();
            try {
                return in.read() == -1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException reset) {
                return true;
            }
        }
    }

    @Test
    void aKilledAccessNodeLeavesDiscoveryAndItsDevicesOfflineMessagesAreKept() throws Exception {
        int port = RedisServer.freePort();
        ServiceProcess doomed = suite.launchAccess("access-doomed", "default", port,
                List.of("--herald.zookeeper.session-timeout=PT6S", "--herald.zookeeper.connection-timeout=PT3S")).awaitReady(HeraldSuite.READY);
        PushApi api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        String deviceId = unique("dev-");
        try (CuratorFramework zk = CuratorFrameworkFactory.newClient(suite.zookeeper.getConnectString(), new RetryOneTime(200));
             Device device = new Device(deviceId, api.token(deviceId))) {
            zk.start();
            String znode = "/herald/services/access.default/access-doomed";
            await().atMost(DELIVERY).until(() -> zk.checkExists().forPath(znode) != null);
            device.connect(port);

            doomed.kill();
            await().atMost(DELIVERY).until(() -> zk.checkExists().forPath(znode) == null);

            String id = api.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"kept for later\",\"offline\":true}");
            await().atMost(DELIVERY).until(() -> api.status(id).number("stored") == 1);
            device.connect(suite.access1Port);
            await().atMost(DELIVERY).until(() -> device.count(id) == 1);
        } finally {
            doomed.kill();
        }
    }

    @Test
    void twoCellsRunSideBySideAndKeepTheirTrafficApart() {
        String appId = unique("cellb-");
        String secret = "secret-" + UUID.randomUUID();
        admin.createApp(appId, appId + "-key", secret, "b");
        int port = RedisServer.freePort();
        ServiceProcess dispatcherB = suite.launchDispatcher("dispatcher-b", "b");
        ServiceProcess accessB = suite.launchAccess("access-b", "b", port);
        try {
            HeraldSuite.ready(dispatcherB).join();
            HeraldSuite.ready(accessB).join();
            PushApi apiB = new PushApi(suite.api.baseUrl(), appId, appId + "-key", secret);
            await().atMost(HOT_RELOAD).until(() -> apiB.post("/v1/apps/" + appId + "/device-tokens",
                    "{\"deviceId\":\"probe\"}").status() == 201);
            String deviceId = unique("dev-");
            try (Device device = new Device(appId, deviceId, apiB.token(deviceId)).connect(port)) {
                String id = apiB.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"cell b\",\"offline\":true}");
                await().atMost(DELIVERY).until(() -> device.count(id) == 1);

                // Cell b's traffic depends on cell b's dispatcher only: without it, b waits and default flows.
                dispatcherB.kill();
                String waiting = apiB.accepted("{\"deviceId\":\"" + deviceId + "\",\"text\":\"after b died\",\"offline\":true}");
                PushApi demo = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
                String demoDevice = unique("dev-");
                try (Device other = new Device(demoDevice, demo.token(demoDevice)).connect(suite.access1Port)) {
                    String flows = demo.accepted("{\"deviceId\":\"" + demoDevice + "\",\"text\":\"default cell\",\"offline\":true}");
                    await().atMost(DELIVERY).until(() -> other.count(flows) == 1);
                }
                assertThat(device.count(waiting)).isZero();
                assertThat(apiB.status(waiting).text("state")).isEqualTo("accepted");

                dispatcherB.restart(HeraldSuite.READY);
                await().atMost(DELIVERY).until(() -> device.count(waiting) == 1);
            }
        } finally {
            for (ServiceProcess p : List.of(accessB, dispatcherB)) {
                p.stop();
            }
        }
    }
}
