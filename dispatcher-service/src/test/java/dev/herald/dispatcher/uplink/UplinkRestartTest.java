package dev.herald.dispatcher.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.message.UplinkMessage;
import dev.herald.dispatcher.DispatcherServiceApplication;
import dev.herald.testsupport.RedisExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An uplink parked in the retry set outlives the dispatcher that parked it: a new dispatcher (a fresh
 * application context on the same Redis) retries and delivers it.
 */
class UplinkRestartTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    static final CallbackReceiver RECEIVER = new CallbackReceiver();
    static UplinkRedis redis;

    @BeforeAll
    static void connect() {
        redis = new UplinkRedis(REDIS);
    }

    @AfterAll
    static void close() {
        redis.close();
        RECEIVER.close();
    }

    @Test
    void uplinkParkedForARetrySurvivesARestartAndIsDeliveredByTheNextDispatcher() {
        AtomicInteger status = new AtomicInteger(500);
        RECEIVER.answer("/later", n -> status.get());
        UplinkMessage uplink = UplinkRedis.uplink("later", "survive me");

        try (ConfigurableApplicationContext first = dispatcher()) {
            String entry = redis.append(uplink);
            await().untilAsserted(() -> assertThat(redis.retries(uplink.id())).singleElement()
                    .satisfies(retry -> assertThat(retry.lastError()).isEqualTo("HTTP 500")));
            await().until(() -> !redis.streamHolds(entry));
        }
        int attemptsBeforeRestart = RECEIVER.requests("/later").size();
        assertThat(redis.retries(uplink.id())).hasSize(1);

        status.set(204);
        try (ConfigurableApplicationContext second = dispatcher()) {
            await().until(() -> RECEIVER.requests("/later").size() > attemptsBeforeRestart);
            await().untilAsserted(() -> assertThat(redis.retries(uplink.id())).isEmpty());
        }
        assertThat(RECEIVER.requests("/later").get(RECEIVER.requests("/later").size() - 1).status()).isEqualTo(204);
        assertThat(redis.deadLetters("later")).isEmpty();
    }

    private static ConfigurableApplicationContext dispatcher() {
        return new SpringApplicationBuilder(DispatcherServiceApplication.class)
                .web(WebApplicationType.NONE)
                // Arguments, not default properties: they must win over application.yml (its apps list too).
                .run("--spring.reactor.netty.shutdown-quiet-period=0s",
                        // Long enough that the first dispatcher parks the uplink and stops before its retry.
                        "--herald.dispatcher.uplink.initial-backoff=PT1S",
                        "--herald.dispatcher.uplink.max-backoff=PT1S",
                        "--herald.dispatcher.uplink.retry-poll-interval=PT0.05S",
                        "--herald.apps[0].id=later",
                        "--herald.apps[0].key=later-key",
                        "--herald.apps[0].secret=later-secret-0123456789",
                        "--herald.apps[0].callback-url=" + RECEIVER.url("/later"));
    }
}
