package dev.herald.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
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
    void defaultsRunAgainstLocalServices() {
        context.run(c -> assertThat(c.getBean(DispatcherProperties.class)).isEqualTo(new DispatcherProperties(
                "default", "dispatcher-1", URI.create("http://localhost:8083"), 256, 4,
                Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(5),
                new DispatcherProperties.Uplink(true, Duration.ofSeconds(1), Duration.ofMinutes(5), 8,
                        Duration.ofSeconds(5), 10_000, Duration.ofMillis(200)))));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "herald.dispatcher.batch-size=0",
            "herald.dispatcher.consumer-name= ",
            "herald.dispatcher.cell=",
            "herald.dispatcher.node-liveness=0s",
            "herald.dispatcher.claim-idle=-1s",
            "herald.dispatcher.saver-timeout=0s",
            "herald.dispatcher.uplink.max-attempts=0",
            "herald.dispatcher.uplink.initial-backoff=0s",
            "herald.dispatcher.uplink.max-backoff=PT0.5S",
            "herald.dispatcher.uplink.request-timeout=0s",
            "herald.dispatcher.uplink.dead-letter-cap=0"})
    void invalidSettingsStopTheStart(String setting) {
        context.withPropertyValues(setting).run(c -> assertThat(c).hasFailed());
    }
}
