package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.client.PushClientException;
import dev.herald.core.app.ApiSignature;
import dev.herald.core.app.DeviceToken;
import dev.herald.protocol.ErrorCode;
import dev.herald.testsupport.Prerequisites;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How app servers authenticate against the running suite: signed requests and (in this local set-up)
 * HTTP Basic, an exact replay refused, the documented curl/openssl script, a secret rotated through the
 * config-server's admin API without a moment in which the old or the new secret fails, and send limits
 * set through the admin API.
 */
@ExtendWith(HeraldSuite.class)
class ApiAuthenticationTest {

    private static final Duration HOT_RELOAD = Duration.ofSeconds(5);
    private static final String BROADCAST = "{\"broadcast\":true,\"text\":\"auth check\",\"offline\":false}";

    private final HeraldSuite suite = HeraldSuite.get();

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void signedAndBasicRequestsAreAcceptedAndAnExactReplayIsNot() throws Exception {
        assertThat(new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET)
                .send(BROADCAST).status()).isEqualTo(202);
        assertThat(PushApi.basic(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET)
                .send(BROADCAST).status()).isEqualTo(202);

        byte[] body = BROADCAST.getBytes(StandardCharsets.UTF_8);
        String path = "/v1/apps/demo/messages";
        HttpRequest request = HttpRequest.newBuilder(URI.create(suite.api.baseUrl() + path))
                .header("Content-Type", "application/json")
                .header("Authorization", ApiSignature.authorization(HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET, "POST",
                        path, null, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpClient http = HttpClient.newHttpClient();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);
        HttpResponse<String> replay = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("\"code\":\"REQUEST_REPLAYED\"");
    }

    @Test
    void theCurlScriptInDeploySignsRequestsThatPushApiAccepts() throws Exception {
        Path script = Path.of("..", "deploy", "herald-curl.sh").toAbsolutePath().normalize();
        Prerequisites.require(new File("/usr/bin/openssl").canExecute() && new File("/usr/bin/curl").canExecute(),
                "curl and openssl, which deploy/herald-curl.sh needs (apt-get install -y curl openssl; .ci/run does)");
        String url = suite.api.baseUrl() + "/v1/apps/demo/messages";
        String send = run(script, "POST", url, "{\"deviceId\":\"script-device\",\"text\":\"signed by openssl\"}");
        assertThat(send).contains("\"appId\":\"demo\"").contains("\"status\":\"/v1/apps/demo/messages/");
        String id = PushApi.JSON.readTree(send).path("id").asText();

        assertThat(run(script, "GET", suite.api.baseUrl() + "/v1/apps/demo/messages/" + id, ""))
                .contains("\"id\":\"" + id + "\"");
        assertThat(run(script, "GET", suite.api.baseUrl() + "/v1/apps/demo/uplink/dead-letters?limit=3", ""))
                .startsWith("[");
    }

    private static String run(Path script, String method, String url, String body) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), method, url, body).redirectErrorStream(true);
        builder.environment().put("HERALD_KEY", HeraldSuite.APP_KEY);
        builder.environment().put("HERALD_SECRET", HeraldSuite.APP_SECRET);
        Process process = builder.start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /**
     * The documented rotation: add the new secret second, move it first, drop the old one. Until the last
     * step both secrets sign API requests and device tokens of either connect; new tokens are signed by the
     * first secret; after it only the new secret works.
     */
    @Test
    void aSecretRotatedThroughTheAdminApiKeepsOldAndNewWorkingUntilTheOldIsRemoved() {
        ConfigAdmin admin = suite.admin();
        String appId = unique("rotate-");
        String key = appId + "-key";
        String oldSecret = "old-secret-" + UUID.randomUUID();
        String newSecret = "new-secret-" + UUID.randomUUID();
        admin.createApp(appId, key, oldSecret, "default");
        PushApi withOld = new PushApi(suite.api.baseUrl(), appId, key, oldSecret);
        PushApi withOldBasic = PushApi.basic(suite.api.baseUrl(), appId, key, oldSecret);
        PushApi withNew = new PushApi(suite.api.baseUrl(), appId, key, newSecret);
        await().atMost(HOT_RELOAD).until(() -> withOld.send(BROADCAST).status() == 202);
        String deviceId = unique("rot-dev-");
        String oldToken = withOld.token(deviceId);

        // Step 1: [old, new]. Both verify; the old one still signs tokens.
        long version = admin.read("apps/" + appId).version();
        assertThat(admin.update("apps/" + appId, version, ConfigAdmin.appJson(appId, key, "default", oldSecret, newSecret))
                .status()).isEqualTo(200);
        await().atMost(HOT_RELOAD).until(() -> withNew.send(BROADCAST).status() == 202);
        assertThat(withOld.send(BROADCAST).status()).isEqualTo(202);
        assertThat(withOldBasic.send(BROADCAST).status()).isEqualTo(202);
        assertThat(DeviceToken.check(oldSecret, appId, deviceId, withNew.token(deviceId), Instant.now()))
                .isEqualTo(DeviceToken.Check.VALID);
        assertThat(connects(appId, deviceId, oldToken)).isNull();

        // Step 2: [new, old]. New tokens are signed by the new secret; everything old still works.
        version = admin.read("apps/" + appId).version();
        assertThat(admin.update("apps/" + appId, version, ConfigAdmin.appJson(appId, key, "default", newSecret, oldSecret))
                .status()).isEqualTo(200);
        await().atMost(HOT_RELOAD).until(() -> DeviceToken.check(newSecret, appId, deviceId, withOld.token(deviceId),
                Instant.now()) == DeviceToken.Check.VALID);
        assertThat(withOld.send(BROADCAST).status()).isEqualTo(202);
        assertThat(withNew.send(BROADCAST).status()).isEqualTo(202);
        String newToken = withNew.token(deviceId);
        // The access nodes apply the change on their own schedule (within seconds) and never refuse the old token.
        await().atMost(HOT_RELOAD).until(() -> connects(appId, deviceId, newToken) == null);
        assertThat(connects(appId, deviceId, oldToken)).isNull();

        // Step 3: [new]. The old secret and its tokens stop working; the new ones go on.
        version = admin.read("apps/" + appId).version();
        assertThat(admin.update("apps/" + appId, version, ConfigAdmin.appJson(appId, key, "default", newSecret))
                .status()).isEqualTo(200);
        await().atMost(HOT_RELOAD).until(() -> withOld.send(BROADCAST).status() == 401);
        assertThat(withOldBasic.send(BROADCAST).status()).isEqualTo(401);
        assertThat(withNew.send(BROADCAST).status()).isEqualTo(202);
        await().atMost(HOT_RELOAD).until(() -> connects(appId, deviceId, oldToken) == ErrorCode.BAD_TOKEN);
        assertThat(connects(appId, deviceId, newToken)).isNull();
    }

    @Test
    void sendLimitsSetThroughTheAdminApiAnswer429WithRetryAfter() {
        ConfigAdmin admin = suite.admin();
        String appId = unique("limited-");
        String secret = "limited-secret-" + UUID.randomUUID();
        String app = ConfigAdmin.appJson(appId, appId + "-key", "default", secret);
        ConfigAdmin.Reply created = admin.create("apps/" + appId, app.substring(0, app.length() - 1)
                + ",\"limits\":{\"messagesPerSecond\":2,\"messagesPerDay\":0}}");
        assertThat(created.status()).isEqualTo(201);
        PushApi api = new PushApi(suite.api.baseUrl(), appId, appId + "-key", secret);
        await().atMost(HOT_RELOAD).until(() -> api.send(BROADCAST).status() != 401);

        // The refusal itself is checked: a later send may already find a refilled token.
        PushApi.Reply limited = await().atMost(HOT_RELOAD).until(() -> api.send(BROADCAST), r -> r.status() == 429);
        assertThat(limited.contentType()).startsWith("application/problem+json");
        assertThat(limited.text("code")).isEqualTo("RATE_LIMITED");
        assertThat(limited.headers().firstValue("Retry-After")).contains("1");
        await().atMost(HOT_RELOAD).until(() -> api.send(BROADCAST).status() == 202);
    }

    /** {@code null} when the token connects over the native protocol, else the refusal code. */
    private ErrorCode connects(String appId, String deviceId, String token) {
        PushClient client = PushClient.builder()
                .server("127.0.0.1", suite.access1Port)
                .deviceId(deviceId)
                .app(appId, token)
                .reconnect(false)
                .build();
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof PushClientException refused ? refused.code() : ErrorCode.INTERNAL_ERROR;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            client.close();
        }
    }
}
