package dev.herald.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class DispatcherPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DispatcherProperties.class)
    static class Bound {
    }

    final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void withoutAnySettingTheContextStartsAndTheBackoffIsOrdered() {
        context.run(c -> {
            assertThat(c).hasNotFailed();
            assertThat(c.getBean(DispatcherProperties.class).uplink().isBackoffOrdered()).isTrue();
        });
    }

    @Test
    void everySettingBindsFromItsPropertyName() {
        context.withPropertyValues("herald.dispatcher.cell=eu-1", "herald.dispatcher.consumer-name=d-7",
                "herald.dispatcher.batch-size=12",
                "herald.dispatcher.batches-in-flight=2",
                "herald.dispatcher.node-liveness=PT4S", "herald.dispatcher.node-departure-grace=PT1S",
                "herald.dispatcher.claim-idle=PT20S",
                "herald.dispatcher.uplink.enabled=false", "herald.dispatcher.uplink.initial-backoff=PT0.3S",
                "herald.dispatcher.uplink.max-backoff=PT9S", "herald.dispatcher.uplink.max-attempts=4",
                "herald.dispatcher.uplink.request-timeout=PT1S", "herald.dispatcher.uplink.dead-letter-cap=5",
                "herald.dispatcher.uplink.retry-poll-interval=PT0.05S").run(c -> {
            DispatcherProperties p = c.getBean(DispatcherProperties.class);
            assertThat(p.cell()).isEqualTo("eu-1");
            assertThat(p.consumerName()).isEqualTo("d-7");
            assertThat(p.batchSize()).isEqualTo(12);
            assertThat(p.batchesInFlight()).isEqualTo(2);
            assertThat(p.nodeLiveness()).isEqualTo(Duration.ofSeconds(4));
            assertThat(p.nodeDepartureGrace()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.claimIdle()).isEqualTo(Duration.ofSeconds(20));
            assertThat(p.uplink().enabled()).isFalse();
            assertThat(p.uplink().initialBackoff()).isEqualTo(Duration.ofMillis(300));
            assertThat(p.uplink().maxBackoff()).isEqualTo(Duration.ofSeconds(9));
            assertThat(p.uplink().maxAttempts()).isEqualTo(4);
            assertThat(p.uplink().requestTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.uplink().deadLetterCap()).isEqualTo(5);
            assertThat(p.uplink().retryPollInterval()).isEqualTo(Duration.ofMillis(50));
        });
    }

    @Test
    void aMaxBackoffEqualToTheInitialOneIsAllowed() {
        context.withPropertyValues("herald.dispatcher.uplink.initial-backoff=PT2S",
                "herald.dispatcher.uplink.max-backoff=PT2S").run(c -> assertThat(c).hasNotFailed());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "herald.dispatcher.batch-size=0",
            "herald.dispatcher.consumer-name= ",
            "herald.dispatcher.cell=",
            "herald.dispatcher.node-liveness=0s",
            "herald.dispatcher.claim-idle=-1s",
            "herald.dispatcher.uplink.max-attempts=0",
            "herald.dispatcher.uplink.initial-backoff=0s",
            "herald.dispatcher.uplink.max-backoff=PT0.5S",
            "herald.dispatcher.uplink.request-timeout=0s",
            "herald.dispatcher.uplink.dead-letter-cap=0"})
    void invalidSettingsStopTheStart(String setting) {
        context.withPropertyValues(setting).run(c -> assertThat(c).hasFailed());
    }
}
