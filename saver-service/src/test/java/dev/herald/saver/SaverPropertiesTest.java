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
    void defaultsMakeALocalRunWork() {
        context.run(c -> {
            SaverProperties p = c.getBean(SaverProperties.class);
            assertThat(p.maxPendingPerDevice()).isEqualTo(1000);
            assertThat(p.broadcastLogSize()).isEqualTo(1000);
            assertThat(p.maxBroadcastReplay()).isEqualTo(100);
            assertThat(p.cursorTtl()).isEqualTo(Duration.ofDays(30));
            assertThat(p.ackDedupWindow()).isEqualTo(Duration.ofDays(1));
            assertThat(p.maxBatchSize()).isEqualTo(10_000);
            assertThat(p.expirySweepInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.expirySweepBatch()).isEqualTo(1000);
        });
    }

    @Test
    void invalidSettingsStopTheStart() {
        context.withPropertyValues("herald.saver.max-pending-per-device=0")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.cursor-ttl=0s")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.expiry-sweep-interval=0s")
                .run(c -> assertThat(c).hasFailed());
        context.withPropertyValues("herald.saver.expiry-sweep-batch=0")
                .run(c -> assertThat(c).hasFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SaverProperties.class)
    static class Config {
    }
}
