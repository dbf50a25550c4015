package dev.herald.api;

import static dev.herald.config.testing.ZooKeeperExtension.appJson;
import static dev.herald.config.testing.ZooKeeperExtension.blacklistJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.api.message.MessageAccepted;
import dev.herald.api.token.DeviceTokenView;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.core.app.DeviceToken;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * push-api with apps and the IP blacklist in ZooKeeper. Both extensions come before
 * {@code @SpringBootTest}: their system properties are set before the context starts, and ZooKeeper stops
 * only after the (dirtied) context has closed.
 */
@ExtendWith({SharedRedis.class, ZooKeeperExtension.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // A property of its own, so Spring never hands this class the cached context without ZooKeeper.
        properties = "herald.zookeeper.session-timeout=PT10S")
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@DirtiesContext
class ZooKeeperConfigTest {

    private static final Duration APPLY = ZooKeeperExtension.applyWithin();
    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

    @Autowired
    WebTestClient web;
    @LocalManagementPort
    int managementPort;
    WebTestClient management;
    @Autowired
    StringRedisTemplate redis;

    @BeforeEach
    void managementClient() {
        management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @BeforeAll
    static void cleanTree() {
        ZooKeeperExtension.running().clear();
    }

    private static ZooKeeperExtension zk() {
        return ZooKeeperExtension.running();
    }

    private WebTestClient.ResponseSpec send(String appId, String key, String secret) {
        return web.post().uri("/v1/apps/" + appId + "/messages")
                .headers(h -> h.setBasicAuth(key, secret))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(MESSAGE).exchange();
    }

    private HttpStatus sendStatus(String appId, String key, String secret) {
        return HttpStatus.valueOf(send(appId, key, secret).returnResult(Void.class).getStatus().value());
    }

    @Test
    void staticAppsDoNotExistWithZooKeeper() {
        send("demo", "demo-key", "demo-secret-0123456789").expectStatus().isUnauthorized();
    }

    @Test
    void anAppCreatedInZooKeeperTakesPushesAndMintsTokensWithinTwoSeconds() {
        zk().putConfig("apps/fresh", appJson("fresh", "fresh-key", "default", "fresh-secret-0123456789"));

        await().atMost(APPLY).until(() -> sendStatus("fresh", "fresh-key", "fresh-secret-0123456789") == HttpStatus.ACCEPTED);
        DeviceTokenView token = web.post().uri("/v1/apps/fresh/device-tokens")
                .headers(h -> h.setBasicAuth("fresh-key", "fresh-secret-0123456789"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"deviceId\": \"device-1\"}").exchange()
                .expectStatus().isCreated()
                .expectBody(DeviceTokenView.class).returnResult().getResponseBody();
        assertThat(DeviceToken.check("fresh-secret-0123456789", "fresh", "device-1", token.token(), Instant.now()))
                .isEqualTo(DeviceToken.Check.VALID);
    }

    @Test
    void duringASecretRotationBothSecretsAuthenticateAndTheFirstSignsTokens() {
        String newer = "newer-secret-0123456789";
        String older = "older-secret-0123456789";
        zk().putConfig("apps/rotating", appJson("rotating", "rotating-key", "default", older));
        await().atMost(APPLY).until(() -> sendStatus("rotating", "rotating-key", older) == HttpStatus.ACCEPTED);

        zk().putConfig("apps/rotating", appJson("rotating", "rotating-key", "default", newer, older));

        await().atMost(APPLY).until(() -> sendStatus("rotating", "rotating-key", newer) == HttpStatus.ACCEPTED);
        send("rotating", "rotating-key", older).expectStatus().isAccepted();
        send("rotating", "rotating-key", "wrong-secret-0123456789").expectStatus().isUnauthorized();
        DeviceTokenView token = web.post().uri("/v1/apps/rotating/device-tokens")
                .headers(h -> h.setBasicAuth("rotating-key", older))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"deviceId\": \"device-1\"}").exchange()
                .expectStatus().isCreated()
                .expectBody(DeviceTokenView.class).returnResult().getResponseBody();
        assertThat(DeviceToken.check(newer, "rotating", "device-1", token.token(), Instant.now()))
                .isEqualTo(DeviceToken.Check.VALID);

        zk().putConfig("apps/rotating", appJson("rotating", "rotating-key", "default", newer));
        await().atMost(APPLY).until(() -> sendStatus("rotating", "rotating-key", older) == HttpStatus.UNAUTHORIZED);
    }

    @Test
    void sendLimitsChangedInZooKeeperApplyWithoutARestart() {
        String secret = "metered-secret-0123456789";
        zk().putConfig("apps/metered", appJson("metered", "metered-key", "default", 0, 2, secret));
        await().atMost(APPLY).until(() -> sendStatus("metered", "metered-key", secret) == HttpStatus.ACCEPTED);
        await().atMost(APPLY).until(() -> sendStatus("metered", "metered-key", secret) == HttpStatus.TOO_MANY_REQUESTS);
        send("metered", "metered-key", secret)
                .expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader().exists("Retry-After")
                .expectBody().jsonPath("$.code").isEqualTo("QUOTA_EXCEEDED");

        // Raising the quota (and adding a rate) lets sends through again within the reload time.
        zk().putConfig("apps/metered", appJson("metered", "metered-key", "default", 1000, 1000, secret));

        await().atMost(APPLY.plusSeconds(1)).until(() -> sendStatus("metered", "metered-key", secret) == HttpStatus.ACCEPTED);
    }

    @Test
    void aBlacklistedAddressIsForbiddenUntilItIsRemoved() {
        zk().putConfig("apps/guarded", appJson("guarded", "guarded-key", "default", "guarded-secret-0123456789"));
        await().atMost(APPLY).until(() -> sendStatus("guarded", "guarded-key", "guarded-secret-0123456789")
                == HttpStatus.ACCEPTED);
        try {
            // The test client connects from loopback, over IPv4 or IPv6.
            zk().putConfig("global/blacklist-ips", blacklistJson("127.0.0.1/32", "::1/128"));

            await().atMost(APPLY).until(() -> sendStatus("guarded", "guarded-key", "guarded-secret-0123456789")
                    == HttpStatus.FORBIDDEN);
            send("guarded", "guarded-key", "guarded-secret-0123456789")
                    .expectStatus().isForbidden()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.code").isEqualTo("FORBIDDEN_ADDRESS")
                    .jsonPath("$.status").isEqualTo(403);
            // Without credentials too: the address is refused before authentication.
            web.get().uri("/v1/apps/guarded/messages/01JDQ7N5W3X8M2K4R6T9V0YZAB").exchange()
                    .expectStatus().isForbidden();
            management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        } finally {
            zk().putConfig("global/blacklist-ips", blacklistJson());
        }
        await().atMost(APPLY).until(() -> sendStatus("guarded", "guarded-key", "guarded-secret-0123456789")
                == HttpStatus.ACCEPTED);
    }

    @Test
    void anAppInCellBGoesToTheIntakeStreamOfCellB() {
        zk().putConfig("apps/celled", appJson("celled", "celled-key", "b", "celled-secret-0123456789"));
        await().atMost(APPLY).until(() -> sendStatus("celled", "celled-key", "celled-secret-0123456789")
                == HttpStatus.ACCEPTED);

        MessageAccepted accepted = send("celled", "celled-key", "celled-secret-0123456789")
                .expectStatus().isAccepted()
                .expectBody(MessageAccepted.class).returnResult().getResponseBody();

        assertThat(intakeIds(RedisKeys.intake("b"))).anySatisfy(document -> assertThat(document).contains(accepted.id()));
        assertThat(intakeIds(RedisKeys.intake("default"))).noneSatisfy(document ->
                assertThat(document).contains(accepted.id()));
    }

    private List<String> intakeIds(String stream) {
        return IntakeEntries.messages(redis, JsonMapper.builder().build(), stream).stream()
                .map(IntakeMessage::id)
                .toList();
    }

    @Test
    void readinessIncludesZooKeeperAndLivenessDoesNot() {
        management.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP")
                .jsonPath("$.components.readinessState.status").isEqualTo("UP");
        management.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.zookeeper").doesNotExist()
                .jsonPath("$.components.redis").doesNotExist();
        // Polled like a probe would: on a CI machine under heavy load one health answer has been seen to
        // take over 30 s (cause not found yet; see docs/operations.md, known issues).
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> management.mutate()
                .responseTimeout(Duration.ofSeconds(20)).build()
                .get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.components.zookeeper.details.connectString").isEqualTo(zk().connectString()));
    }
}
