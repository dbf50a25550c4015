package dev.herald.config.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.core.app.App;
import dev.herald.core.app.AppLimits;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTreeReaderTest {

    private final ConfigTreeReader reader = new ConfigTreeReader();
    private final List<ConfigTreeReader.Node> nodes = new ArrayList<>();
    private long zxid;

    private void put(String path, String state, String value) {
        putRaw(path, "{\"state\":\"" + state + "\",\"updatedAt\":\"2026-11-25T10:00:00Z\",\"updatedBy\":\"t\",\"value\":"
                + value + "}");
    }

    private void putRaw(String path, String data) {
        nodes.removeIf(n -> n.path().equals(path));
        nodes.add(new ConfigTreeReader.Node(path, data == null ? null : data.getBytes(StandardCharsets.UTF_8), ++zxid));
    }

    private ConfigSnapshot read() {
        return reader.read(nodes, 7, Instant.parse("2026-11-25T10:00:00Z"));
    }

    @Test
    void readsOnlineAppsBlacklistAndSettings() throws Exception {
        putRaw("apps", null);
        putRaw("global", "");
        put("apps/demo", "online", ZooKeeperExtension.appJson("demo", "demo-key", "b", "new-secret-0123456789",
                "old-secret-0123456789"));
        put("global/blacklist-ips", "online", ZooKeeperExtension.blacklistJson("10.1.2.3", "192.168.0.0/16"));
        put("global/settings", "online", "{\"feature\":{\"on\":true}}");
        put("future/thing", "online", "{\"x\":1}");

        ConfigSnapshot snapshot = read();

        App demo = snapshot.app("demo").orElseThrow();
        assertThat(demo.secrets()).containsExactly("new-secret-0123456789", "old-secret-0123456789");
        assertThat(demo.cell()).isEqualTo("b");
        assertThat(snapshot.appByKey("demo-key")).contains(demo);
        assertThat(snapshot.blacklist().blocks(InetAddress.getByName("192.168.1.1"))).isTrue();
        assertThat(snapshot.settings().path("feature").path("on").asBoolean(false)).isTrue();
        assertThat(snapshot.generation()).isEqualTo(7);
    }

    @Test
    void offlineNodesDoNotExistForServices() {
        put("apps/demo", "offline", ZooKeeperExtension.appJson("demo", "demo-key", "default", "demo-secret-0123456789"));
        put("global/blacklist-ips", "offline", ZooKeeperExtension.blacklistJson("0.0.0.0/0"));

        ConfigSnapshot snapshot = read();

        assertThat(snapshot.apps()).isEmpty();
        assertThat(snapshot.blacklist().isEmpty()).isTrue();
    }

    @Test
    void malformedNodesAreSkippedAndTheRestApplies() {
        put("apps/good", "online", ZooKeeperExtension.appJson("good", "good-key", "default", "good-secret-0123456789"));
        putRaw("apps/not-json", "{not json");
        putRaw("apps/no-state", "{\"value\":{}}");
        put("apps/weird-state", "maybe", ZooKeeperExtension.appJson("weird-state", "w-key", "default", "w-secret-0123456789"));
        put("apps/short-secret", "online", ZooKeeperExtension.appJson("short-secret", "s-key", "default", "short"));
        put("apps/three-secrets", "online", ZooKeeperExtension.appJson("three-secrets", "t-key", "default",
                "one-secret-0123456789", "two-secret-0123456789", "three-secret-0123456789"));
        put("apps/other-id", "online", ZooKeeperExtension.appJson("not-the-path", "o-key", "default", "o-secret-0123456789"));
        put("apps/bad-cell", "online", ZooKeeperExtension.appJson("bad-cell", "c-key", "a{b}", "c-secret-0123456789"));
        put("apps/secrets-not-list", "online", "{\"key\":\"k\",\"secrets\":\"x-secret-0123456789\"}");
        put("apps/value-not-object", "online", "[1,2]");
        put("apps/fractional-limit", "online", "{\"key\":\"f-key\",\"secrets\":[\"f-secret-0123456789\"],"
                + "\"limits\":{\"messagesPerDay\":1.5}}");
        put("apps/negative-limit", "online", ZooKeeperExtension.appJson("negative-limit", "n-key", "default", -1, 0,
                "n-secret-0123456789"));

        ConfigSnapshot snapshot = read();

        assertThat(snapshot.apps()).containsOnlyKeys("good");
    }

    @Test
    void aBadBlacklistEntryIsSkippedAloneSoTheOthersStillBlock() throws Exception {
        put("global/blacklist-ips", "online", ZooKeeperExtension.blacklistJson("10.0.0.0/8", "not-an-ip", "2001:db8::/200"));

        ConfigSnapshot snapshot = read();

        assertThat(snapshot.blacklist().blocks(InetAddress.getByName("10.9.9.9"))).isTrue();
        assertThat(snapshot.blacklist().blocks().size()).isEqualTo(1);
    }

    @Test
    void ofTwoAppsSharingAKeyTheOneLaterByIdIsLeftOut() {
        put("apps/alpha", "online", ZooKeeperExtension.appJson("alpha", "shared", "default", "alpha-secret-0123456789"));
        put("apps/beta", "online", ZooKeeperExtension.appJson("beta", "shared", "default", "beta-secret-0123456789"));

        assertThat(read().apps()).containsOnlyKeys("alpha");
    }

    @Test
    void anAppWithoutIdNameOrCellTakesThePathNameAndTheDefaultCell() {
        put("apps/minimal", "online", "{\"key\":\"m-key\",\"secrets\":[\"m-secret-0123456789\"]}");

        App app = read().app("minimal").orElseThrow();

        assertThat(app.name()).isEqualTo("minimal");
        assertThat(app.cell()).isEqualTo(App.DEFAULT_CELL);
        assertThat(app.limits()).isEqualTo(AppLimits.NONE);
    }

    @Test
    void sendLimitsAreRead() {
        put("apps/limited", "online", ZooKeeperExtension.appJson("limited", "l-key", "default", 20, 5000,
                "l-secret-0123456789"));

        assertThat(read().app("limited")).map(App::limits).contains(new AppLimits(20, 5000));
    }

    @Test
    void aChangedNodeIsReadAgainAndARemovedOneDisappears() {
        put("apps/demo", "online", ZooKeeperExtension.appJson("demo", "k1", "default", "secret-one-0123456789"));
        assertThat(read().app("demo")).map(App::key).contains("k1");

        put("apps/demo", "online", ZooKeeperExtension.appJson("demo", "k2", "default", "secret-two-0123456789"));
        assertThat(read().app("demo")).map(App::key).contains("k2");

        nodes.clear();
        assertThat(read().apps()).isEmpty();
    }
}
