package dev.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class PushApiPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class);

    @Test
    void withoutAnySettingTheContextStartsAndTheDefaultsKeepTheirOwnRules() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            PushApiProperties properties = context.getBean(PushApiProperties.class);
            assertThat(properties.defaultTtl()).isLessThanOrEqualTo(properties.maxTtl());
            assertThat(properties.defaultTokenTtl()).isLessThanOrEqualTo(properties.maxTokenTtl());
            // A default payload must fit an access node's default frame (64 KiB) with the PUSH header.
            assertThat(properties.maxPayloadBytes()).isLessThan(65_536);
        });
    }

    @Test
    void everySettingBindsFromItsPropertyName() {
        runner.withPropertyValues("herald.api.cell=eu-1", "herald.api.max-payload-bytes=1024",
                "herald.api.default-ttl=PT1H", "herald.api.max-ttl=PT2H", "herald.api.max-devices-per-request=7",
                "herald.api.default-token-ttl=P1D", "herald.api.max-token-ttl=P2D",
                "herald.api.max-messages-per-batch=9", "herald.api.auth.basic-enabled=false",
                "herald.api.auth.max-clock-skew=PT30S", "herald.api.limit-lease=PT0.25S",
                "herald.api.chatroom-url=http://rooms:9000", "herald.api.chatroom-timeout=PT2S").run(context -> {
            PushApiProperties properties = context.getBean(PushApiProperties.class);
            assertThat(properties.cell()).isEqualTo("eu-1");
            assertThat(properties.maxPayloadBytes()).isEqualTo(1024);
            assertThat(properties.defaultTtl()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.maxTtl()).isEqualTo(Duration.ofHours(2));
            assertThat(properties.maxDevicesPerRequest()).isEqualTo(7);
            assertThat(properties.defaultTokenTtl()).isEqualTo(Duration.ofDays(1));
            assertThat(properties.maxTokenTtl()).isEqualTo(Duration.ofDays(2));
            assertThat(properties.maxMessagesPerBatch()).isEqualTo(9);
            assertThat(properties.auth().basicEnabled()).isFalse();
            assertThat(properties.auth().maxClockSkew()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.limitLease()).isEqualTo(Duration.ofMillis(250));
            assertThat(properties.chatroomUrl()).isEqualTo("http://rooms:9000");
            assertThat(properties.chatroomTimeout()).isEqualTo(Duration.ofSeconds(2));
        });
    }

    @Test
    void aDefaultTtlEqualToTheMaximumIsAllowed() {
        runner.withPropertyValues("herald.api.default-ttl=P7D", "herald.api.max-ttl=P7D",
                "herald.api.default-token-ttl=P9D", "herald.api.max-token-ttl=P9D")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aTokenTtlAboveItsMaximumOrUnderOneSecondFailsStartUp() {
        runner.withPropertyValues("herald.api.default-token-ttl=P400D").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("herald.api.default-ttl=PT0.5S").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void cellThatCannotBeAHashTagFailsStartUp() {
        runner.withPropertyValues("herald.api.cell={eu}").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void defaultTtlAboveMaxTtlFailsStartUp() {
        runner.withPropertyValues("herald.api.default-ttl=P8D").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void nonPositiveLimitsFailStartUp() {
        runner.withPropertyValues("herald.api.max-payload-bytes=0").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("herald.api.max-devices-per-request=-1").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void clockSkewOutsideOneSecondToOneHourOrALongLeaseFailsStartUp() {
        runner.withPropertyValues("herald.api.auth.max-clock-skew=PT0S").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("herald.api.auth.max-clock-skew=PT2H").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("herald.api.limit-lease=PT2S").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("herald.api.auth.basic-enabled=false", "herald.api.limit-lease=0s")
                .run(context -> {
                    PushApiProperties properties = context.getBean(PushApiProperties.class);
                    assertThat(properties.auth().basicEnabled()).isFalse();
                    assertThat(properties.limitLease()).isZero();
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PushApiProperties.class)
    static class PropertiesOnly {
    }
}
