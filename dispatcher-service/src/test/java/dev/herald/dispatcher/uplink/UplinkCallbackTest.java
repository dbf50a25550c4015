package dev.herald.dispatcher.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.CallbackSignature;
import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
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
 * Uplinks appended to the cell's uplink stream reach the app's callback URL signed with the app's secret;
 * failing callbacks are retried with backoff and dead-lettered after max-attempts. Each test uses its own
 * app (and callback path), so they do not see each other's requests.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
                "spring.reactor.netty.shutdown-quiet-period=0s",
                "herald.dispatcher.uplink.initial-backoff=PT0.02S",
                "herald.dispatcher.uplink.max-backoff=PT0.05S",
                "herald.dispatcher.uplink.max-attempts=3",
                "herald.dispatcher.uplink.retry-poll-interval=PT0.05S",
                "herald.dispatcher.uplink.request-timeout=PT2S",
                "herald.dispatcher.uplink.dead-letter-cap=2"})
@DirtiesContext
class UplinkCallbackTest {

    static final String SECRET = "demo-secret-0123456789";

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final CallbackReceiver RECEIVER = new CallbackReceiver();
    static UplinkRedis redis;

    @Autowired
    MeterRegistry meters;

    /** All of the apps in one property source: Boot binds an indexed list from a single source. */
    @DynamicPropertySource
    static void apps(DynamicPropertyRegistry registry) {
        app(registry, 0, "demo", SECRET, RECEIVER.url("/demo"));
        app(registry, 1, "flaky", "flaky-secret-0123456789", RECEIVER.url("/flaky"));
        app(registry, 2, "down", "down-secret-0123456789", RECEIVER.url("/down"));
        app(registry, 3, "silent", "silent-secret-0123456789", null);
    }

    static void app(DynamicPropertyRegistry registry, int index, String id, String secret, String callbackUrl) {
        String prefix = "herald.apps[" + index + "].";
        registry.add(prefix + "id", () -> id);
        registry.add(prefix + "key", () -> id + "-key");
        registry.add(prefix + "secret", () -> secret);
        if (callbackUrl != null) {
            registry.add(prefix + "callback-url", () -> callbackUrl);
        }
    }

    @BeforeAll
    static void connect() {
        redis = new UplinkRedis(REDIS);
        RECEIVER.answer("/flaky", n -> n <= 2 ? 500 : 200);
        RECEIVER.answer("/down", n -> 503);
    }

    @AfterAll
    static void close() {
        redis.close();
        RECEIVER.close();
    }

    @Test
    void uplinkReachesTheCallbackAsDocumentedJsonSignedWithTheAppSecret() {
        UplinkMessage uplink = new UplinkMessage(MessageId.generate().toString(), "demo", "device-7",
                "temperature=21".getBytes(StandardCharsets.UTF_8), 1_764_064_800_123L, "access-1");
        String entry = redis.append(uplink);

        await().until(() -> requestsFor("/demo", uplink).size() == 1);
        CallbackReceiver.Request request = requestsFor("/demo", uplink).get(0);

        assertThat(new String(request.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"" + uplink.id()
                + "\",\"appId\":\"demo\",\"deviceId\":\"device-7\",\"payload\":\""
                + Base64.getEncoder().encodeToString("temperature=21".getBytes(StandardCharsets.UTF_8))
                + "\",\"receivedAt\":\"2025-11-25T10:00:00.123Z\"}");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(CallbackSignature.verify(List.of(SECRET), request.header(CallbackSignature.TIMESTAMP_HEADER),
                request.header(CallbackSignature.SIGNATURE_HEADER), request.body(), Instant.now())).isTrue();
        assertThat(CallbackSignature.verify(List.of("another-secret-0123456789"),
                request.header(CallbackSignature.TIMESTAMP_HEADER), request.header(CallbackSignature.SIGNATURE_HEADER),
                request.body(), Instant.now())).isFalse();
        await().until(() -> !redis.streamHolds(entry));
        assertThat(redis.retries(uplink.id())).isEmpty();
        assertThat(meters.counter("herald.dispatcher.uplink.callbacks", "result", "delivered").count()).isPositive();
    }

    @Test
    void callbackFailingTwiceGetsThreeAttemptsAndLeavesTheRetrySet() {
        UplinkMessage uplink = UplinkRedis.uplink("flaky", "hello");
        String entry = redis.append(uplink);

        await().until(() -> RECEIVER.requests("/flaky").size() == 3);
        assertThat(RECEIVER.requests("/flaky")).extracting(CallbackReceiver.Request::status).containsExactly(500, 500, 200);
        assertThat(RECEIVER.requests("/flaky")).extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
                .allSatisfy(body -> assertThat(body).contains(uplink.id()));
        await().untilAsserted(() -> assertThat(redis.retries(uplink.id())).isEmpty());
        assertThat(redis.streamHolds(entry)).isFalse();
        assertThat(redis.deadLetters("flaky")).isEmpty();
        await().during(Duration.ofMillis(300)).until(() -> RECEIVER.requests("/flaky").size() == 3);
    }

    @Test
    void callbackAlwaysFailingIsDeadLetteredAfterMaxAttemptsWithTheLastError() {
        UplinkMessage uplink = UplinkRedis.uplink("down", "lost cause");
        redis.append(uplink);

        await().untilAsserted(() -> assertThat(redis.deadLetters("down")).hasSize(1));
        UplinkDeadLetter letter = redis.deadLetters("down").get(0);
        assertThat(letter.message()).isEqualTo(uplink);
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.lastError()).isEqualTo("HTTP 503");
        assertThat(letter.deadLetteredAt()).isCloseTo(System.currentTimeMillis(), within(10_000L));
        assertThat(RECEIVER.requests("/down")).hasSize(3);
        assertThat(redis.retries(uplink.id())).isEmpty();
        assertThat(meters.counter("herald.dispatcher.uplink.callbacks", "result", "failed").count()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void appWithoutCallbackUrlIsDeadLetteredAtOnceAndTheStreamIsCapped() {
        UplinkMessage first = UplinkRedis.uplink("silent", "one");
        UplinkMessage second = UplinkRedis.uplink("silent", "two");
        UplinkMessage third = UplinkRedis.uplink("silent", "three");
        redis.append(first);
        redis.append(second);
        redis.append(third);

        await().untilAsserted(() -> assertThat(redis.deadLetters("silent"))
                .extracting(l -> l.message().id()).containsExactly(second.id(), third.id()));
        assertThat(redis.deadLetters("silent")).allSatisfy(letter -> {
            assertThat(letter.attempts()).isZero();
            assertThat(letter.lastError()).isEqualTo("app silent has no callbackUrl");
        });
        assertThat(redis.retries(first.id())).isEmpty();
    }

    @Test
    void uplinkOfAnUnknownAppIsDeadLetteredUnderThatAppId() {
        UplinkMessage uplink = UplinkRedis.uplink("gone", "orphan");
        redis.append(uplink);

        await().untilAsserted(() -> assertThat(redis.deadLetters("gone")).singleElement()
                .satisfies(letter -> assertThat(letter.lastError()).isEqualTo("unknown app gone")));
    }

    @Test
    void malformedEntryIsDroppedAndAcknowledged() {
        String entry = redis.appendRaw("{not json");
        UplinkMessage after = UplinkRedis.uplink("demo", "after the bad one");
        redis.append(after);

        await().until(() -> requestsFor("/demo", after).size() == 1);
        await().until(() -> !redis.streamHolds(entry));
        assertThat(meters.counter("herald.dispatcher.uplink.malformed").count()).isPositive();
    }

    private static List<CallbackReceiver.Request> requestsFor(String path, UplinkMessage uplink) {
        return RECEIVER.requests(path).stream()
                .filter(r -> new String(r.body(), StandardCharsets.UTF_8).contains(uplink.id()))
                .toList();
    }
}
