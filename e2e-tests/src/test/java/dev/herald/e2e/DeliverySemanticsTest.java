package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.client.PushClientException;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.redis.DedicatedConnection;
import dev.herald.protocol.ErrorCode;
import io.lettuce.core.AbstractRedisClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The nine delivery semantics of the foundation, each end to end: a real HTTP request to push-api, the
 * real dispatcher and saver, two real access nodes, and push-client devices on real sockets.
 */
@ExtendWith(HeraldSuite.class)
class DeliverySemanticsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);

    private static HeraldSuite suite;
    private static PushApi api;
    private static AbstractRedisClient redisClient;
    private static DedicatedConnection redis;
    private final List<Device> devices = new ArrayList<>();

    @BeforeAll
    static void connectSuite() {
        suite = HeraldSuite.get();
        api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
        redisClient = suite.newRedisClient();
        redis = DedicatedConnection.open(redisClient);
    }

    @AfterAll
    static void closeRedis() {
        redis.connection().close();
        redisClient.shutdown();
    }

    @AfterEach
    void closeDevices() {
        devices.forEach(Device::close);
    }

    private Device device() {
        String id = "dev-" + UUID.randomUUID();
        Device d = new Device(id, api.token(id));
        devices.add(d);
        return d;
    }

    /** Disconnects and waits until the access node has removed the route, so the device is offline for the dispatcher. */
    private void goOffline(Device d) {
        d.disconnect();
        await().atMost(DELIVERY).until(() -> redis.sync().exists("h:route:{" + HeraldSuite.APP + ":" + d.deviceId + "}") == 0);
    }

    private void awaitRoute(Device d) {
        await().atMost(DELIVERY).until(() -> redis.sync().exists("h:route:{" + HeraldSuite.APP + ":" + d.deviceId + "}") == 1);
    }

    private static String unicast(String deviceId, String text, boolean offline) {
        return "{\"deviceId\":\"" + deviceId + "\",\"text\":\"" + text + "\",\"offline\":" + offline + "}";
    }

    /** Sends an online-only marker and waits for it: anything sent before it that was due has arrived by then. */
    private void awaitMarker(Device d) {
        String marker = "marker-" + UUID.randomUUID();
        api.accepted(unicast(d.deviceId, marker, false));
        await().atMost(DELIVERY).until(() -> d.texts().contains(marker));
    }

    @Test
    void unicastToOnlineDeviceIsReceivedOnceAckedAndCountedDelivered() {
        Device d = device().connect(suite.access1Port);
        awaitRoute(d);

        String id = api.accepted(unicast(d.deviceId, "hello", true));

        await().atMost(DELIVERY).until(() -> d.count(id) == 1);
        await().atMost(DELIVERY).untilAsserted(() -> {
            PushApi.Reply status = api.status(id);
            assertThat(status.status()).isEqualTo(200);
            assertThat(status.number("targets")).isEqualTo(1);
            assertThat(status.number("delivered")).isEqualTo(1);
        });
        awaitMarker(d);
        assertThat(d.count(id)).isEqualTo(1);
        assertThat(d.message(id).text()).isEqualTo("hello");
        // ACK deleted it from the offline store: a reconnect does not replay it.
        d.connect(suite.access2Port);
        awaitMarker(d);
        assertThat(d.count(id)).isEqualTo(1);
    }

    @Test
    void aBatchOfDifferentMessagesReachesEachDeviceOnItsNode() {
        Device one = device().connect(suite.access1Port);
        Device two = device().connect(suite.access2Port);
        awaitRoute(one);
        awaitRoute(two);

        PushApi.Reply reply = api.post("/v1/apps/" + HeraldSuite.APP + "/messages/batch", "{\"messages\":["
                + unicast(one.deviceId, "for-one", true) + "," + unicast(two.deviceId, "for-two", false) + "]}");

        assertThat(reply.status()).isEqualTo(202);
        String first = reply.body().get("messages").get(0).get("id").asText();
        String second = reply.body().get("messages").get(1).get("id").asText();
        await().atMost(DELIVERY).until(() -> one.count(first) == 1 && two.count(second) == 1);
        assertThat(one.message(first).text()).isEqualTo("for-one");
        assertThat(two.message(second).text()).isEqualTo("for-two");
        assertThat(one.count(second)).isZero();
        await().atMost(DELIVERY).until(() -> api.status(first).number("delivered") == 1
                && api.status(second).number("delivered") == 1);
    }

    @Test
    void offlineUnicastArrivesAfterReconnectToSameNode() {
        Device d = device().connect(suite.access1Port);
        goOffline(d);

        String id = api.accepted(unicast(d.deviceId, "while-away", true));
        await().atMost(DELIVERY).until(() -> api.status(id).number("stored") == 1);

        d.connect(suite.access1Port);
        await().atMost(DELIVERY).until(() -> d.count(id) == 1);
        assertThat(d.message(id).replay()).isTrue();
    }

    @Test
    void offlineUnicastArrivesAfterReconnectToAnotherNode() {
        Device d = device().connect(suite.access1Port);
        goOffline(d);

        String id = api.accepted(unicast(d.deviceId, "moved", true));
        await().atMost(DELIVERY).until(() -> api.status(id).number("stored") == 1);

        d.connect(suite.access2Port);
        await().atMost(DELIVERY).until(() -> d.count(id) == 1);
        awaitMarker(d);
        assertThat(d.count(id)).isEqualTo(1);
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstIdAndSendsNothingNew() {
        Device d = device().connect(suite.access1Port);
        awaitRoute(d);
        String key = "retry-" + UUID.randomUUID();

        PushApi.Reply first = api.send(unicast(d.deviceId, "once", true), key);
        PushApi.Reply retry = api.send(unicast(d.deviceId, "once", true), key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        await().atMost(DELIVERY).until(() -> d.count(first.text("id")) == 1);
        awaitMarker(d);
        assertThat(d.received()).filteredOn(m -> "once".equals(m.text())).hasSize(1);
    }

    @Test
    void onlineOnlyUnicastToOfflineDeviceIsNeverDelivered() {
        Device d = device().connect(suite.access1Port);
        goOffline(d);

        String id = api.accepted(unicast(d.deviceId, "only-if-online", false));
        await().atMost(DELIVERY).until(() -> api.status(id).number("dropped") == 1);

        d.connect(suite.access1Port);
        awaitMarker(d);
        assertThat(d.count(id)).isZero();

        d.connect(suite.access2Port);
        awaitMarker(d);
        assertThat(d.count(id)).isZero();
        assertThat(api.status(id).number("stored")).isZero();
    }

    @Test
    void broadcastReachesOnlineDevicesAtOnceAndAnOfflineDeviceOnReconnectNeverTwice() {
        Device online1 = device().connect(suite.access1Port);
        Device online2 = device().connect(suite.access2Port);
        Device away = device().connect(suite.access1Port);
        awaitRoute(online1);
        awaitRoute(online2);
        goOffline(away);

        String id = api.accepted("{\"broadcast\":true,\"text\":\"to-all\",\"offline\":true}");

        await().atMost(DELIVERY).until(() -> online1.count(id) == 1 && online2.count(id) == 1);
        assertThat(online1.message(id).broadcast()).isTrue();
        assertThat(online1.message(id).broadcastSeq()).isPositive();

        away.connect(suite.access2Port);
        await().atMost(DELIVERY).until(() -> away.count(id) == 1);

        // Reconnecting again, anywhere, never brings the same broadcast back.
        online1.connect(suite.access2Port);
        away.connect(suite.access1Port);
        awaitMarker(online1);
        awaitMarker(away);
        assertThat(online1.count(id)).isEqualTo(1);
        assertThat(online2.count(id)).isEqualTo(1);
        assertThat(away.count(id)).isEqualTo(1);
    }

    @Test
    void emptyPayloadIsRejectedWithProblemJsonAndNothingIsDelivered() {
        Device d = device().connect(suite.access1Port);
        awaitRoute(d);

        PushApi.Reply reply = api.send("{\"deviceId\":\"" + d.deviceId + "\",\"text\":\"\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.text("detail")).containsIgnoringCase("empty");
        awaitMarker(d);
        // Only the marker arrived (old broadcasts of other tests may replay to a new device; they are not unicasts).
        assertThat(d.received()).filteredOn(m -> !m.broadcast()).hasSize(1);
    }

    @Test
    void messageWhoseTtlPassedWhileOfflineIsNotDelivered() {
        Device d = device().connect(suite.access1Port);
        goOffline(d);

        String id = api.accepted("{\"deviceId\":\"" + d.deviceId + "\",\"text\":\"short-lived\",\"offline\":true,\"ttlSeconds\":1}");
        await().atMost(DELIVERY).until(() -> api.status(id).number("stored") == 1);
        Instant expiresAt = Instant.parse(api.status(id).text("expiresAt"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(expiresAt.plusMillis(50)));

        d.connect(suite.access2Port);
        awaitMarker(d);
        assertThat(d.count(id)).isZero();
    }

    @Test
    void aPendingMessageThatExpiresIsCountedExpiredWhileTheDeviceStaysAwayAndNotAgainWhenItReturns() {
        Device d = device().connect(suite.access1Port);
        goOffline(d);

        String id = api.accepted("{\"deviceId\":\"" + d.deviceId + "\",\"text\":\"three seconds\",\"offline\":true,\"ttlSeconds\":3}");
        await().atMost(DELIVERY).until(() -> api.status(id).number("stored") == 1);
        Instant expiresAt = Instant.parse(api.status(id).text("expiresAt"));

        // The saver's expiry sweep counts it within about its interval (1 s); 5 s leaves room for a busy machine.
        await().atMost(Duration.between(Instant.now(), expiresAt).plusSeconds(5))
                .until(() -> api.status(id).number("expired") == 1);

        d.connect(suite.access2Port);
        awaitMarker(d);
        assertThat(d.count(id)).isZero();
        PushApi.Reply status = api.status(id);
        assertThat(status.number("expired")).isEqualTo(1);
        assertThat(status.number("stored")).isEqualTo(1);
        assertThat(status.number("delivered")).isZero();
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIsRefusedAndOnlyTheFirstMessageArrives() {
        Device d = device().connect(suite.access1Port);
        awaitRoute(d);
        String key = "e2e-" + UUID.randomUUID();

        PushApi.Reply first = api.send(unicast(d.deviceId, "first", true), key);
        PushApi.Reply other = api.send(unicast(d.deviceId, "second", true), key);
        PushApi.Reply retry = api.send(unicast(d.deviceId, "first", true), key);

        assertThat(first.status()).isEqualTo(202);
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.text("code")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(other.text("detail")).contains(key);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        awaitMarker(d);
        assertThat(d.texts()).contains("first").doesNotContain("second");
        assertThat(d.count(first.text("id"))).isEqualTo(1);
    }

    @Test
    void multicastReachesOnlineDevicesNowAndOfflineDevicesOnReconnect() {
        Device on1 = device().connect(suite.access1Port);
        Device on2 = device().connect(suite.access2Port);
        Device off = device().connect(suite.access1Port);
        awaitRoute(on1);
        awaitRoute(on2);
        goOffline(off);

        String id = api.accepted("{\"deviceIds\":[\"" + on1.deviceId + "\",\"" + on2.deviceId + "\",\"" + off.deviceId
                + "\"],\"text\":\"many\",\"offline\":true}");

        await().atMost(DELIVERY).until(() -> on1.count(id) == 1 && on2.count(id) == 1);
        assertThat(off.count(id)).isZero();
        off.connect(suite.access2Port);
        await().atMost(DELIVERY).until(() -> off.count(id) == 1);
        await().atMost(DELIVERY).until(() -> api.status(id).number("delivered") == 3);
        assertThat(api.status(id).number("targets")).isEqualTo(3);
    }

    @Test
    void onlineOnlyMulticastSkipsOfflineDevices() {
        Device on = device().connect(suite.access2Port);
        Device off = device().connect(suite.access1Port);
        awaitRoute(on);
        goOffline(off);

        String id = api.accepted("{\"deviceIds\":[\"" + on.deviceId + "\",\"" + off.deviceId + "\"],\"text\":\"now-or-never\",\"offline\":false}");

        await().atMost(DELIVERY).until(() -> on.count(id) == 1);
        await().atMost(DELIVERY).until(() -> api.status(id).number("dropped") == 1);
        off.connect(suite.access1Port);
        awaitMarker(off);
        assertThat(off.count(id)).isZero();
    }

    @Test
    void wrongAppSecretIsRejectedWithProblemJson() {
        PushApi wrong = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, "not-the-secret-at-all");
        PushApi.Reply reply = wrong.send(unicast("someone", "x", true));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void wrongDeviceTokenIsRefusedWithBadToken() {
        String deviceId = "dev-" + UUID.randomUUID();
        String tokenOfAnotherDevice = api.token("dev-" + UUID.randomUUID());
        assertThat(refusal(deviceId, HeraldSuite.APP, tokenOfAnotherDevice)).isEqualTo(ErrorCode.BAD_TOKEN);
        assertThat(refusal(deviceId, HeraldSuite.APP, "garbage")).isIn(ErrorCode.BAD_TOKEN, ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void expiredDeviceTokenIsRefusedWithTokenExpired() {
        String deviceId = "dev-" + UUID.randomUUID();
        String expired = DeviceToken.mint(HeraldSuite.APP_SECRET, HeraldSuite.APP, deviceId, Instant.now().minusSeconds(60));
        assertThat(refusal(deviceId, HeraldSuite.APP, expired)).isEqualTo(ErrorCode.TOKEN_EXPIRED);
    }

    @Test
    void unknownAppIsRefused() {
        String deviceId = "dev-" + UUID.randomUUID();
        String token = DeviceToken.mint(HeraldSuite.APP_SECRET, "no-such-app", deviceId, Instant.now().plusSeconds(60));
        assertThat(refusal(deviceId, "no-such-app", token)).isEqualTo(ErrorCode.UNKNOWN_APP);
    }

    private ErrorCode refusal(String deviceId, String appId, String token) {
        PushClient client = PushClient.builder()
                .server("127.0.0.1", suite.access1Port)
                .deviceId(deviceId)
                .app(appId, token)
                .reconnect(false)
                .build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            throw new AssertionError("connection with a bad token was accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PushClientException.class);
            return ((PushClientException) e.getCause()).code();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            client.close();
        }
    }
}
