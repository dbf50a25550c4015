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
    void defaultsMakeALocalRunWork() {
        runner.run(context -> {
            PushApiProperties properties = context.getBean(PushApiProperties.class);
            assertThat(properties.cell()).isEqualTo("default");
            assertThat(properties.maxPayloadBytes()).isEqualTo(4096);
            assertThat(properties.defaultTtl()).isEqualTo(Duration.ofHours(24));
            assertThat(properties.maxTtl()).isEqualTo(Duration.ofDays(7));
            assertThat(properties.maxDevicesPerRequest()).isEqualTo(1000);
            assertThat(properties.defaultTokenTtl()).isEqualTo(Duration.ofDays(30));
            assertThat(properties.maxTokenTtl()).isEqualTo(Duration.ofDays(365));
            assertThat(properties.auth().basicEnabled()).isTrue();
            assertThat(properties.auth().maxClockSkew()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.limitLease()).isEqualTo(Duration.ofMillis(100));
        });
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
