package dev.herald.saver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class SaverPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Config.class);

    @Test
    void withoutAnySettingTheContextStarts() {
        context.run(c -> assertThat(c).hasNotFailed().hasSingleBean(SaverProperties.class));
    }

    @Test
    void everySettingBindsFromItsPropertyName() {
        context.withPropertyValues("herald.saver.max-broadcast-replay=5", "herald.saver.max-batch-size=9",
                "herald.saver.max-targets-per-request=10", "herald.saver.cell=eu-1",
                "herald.saver.expiry-sweep-interval=PT2S", "herald.saver.expiry-sweep-batch=11").run(c -> {
            SaverProperties p = c.getBean(SaverProperties.class);
            assertThat(p.maxBroadcastReplay()).isEqualTo(5);
            assertThat(p.maxBatchSize()).isEqualTo(9);
            assertThat(p.maxTargetsPerRequest()).isEqualTo(10);
            assertThat(p.cell()).isEqualTo("eu-1");
            assertThat(p.expirySweepInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(p.expirySweepBatch()).isEqualTo(11);
        });
    }

    @Test
    void invalidSettingsStopTheStart() {
        context.withPropertyValues("herald.saver.max-broadcast-replay=0")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.max-batch-size=0")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.expiry-sweep-interval=0s")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.expiry-sweep-batch=0")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.cell={eu}")
                .run(c -> assertThat(c).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SaverProperties.class)
    static class Config {
    }
}
