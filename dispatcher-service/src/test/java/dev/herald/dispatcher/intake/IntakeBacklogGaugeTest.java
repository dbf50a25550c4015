package dev.herald.dispatcher.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.DispatcherProperties;
import dev.herald.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** The backlog gauges against a real redis-server: a figure while Redis answers, NaN once it does not. */
class IntakeBacklogGaugeTest {

    /** The defaults, as a dispatcher with no herald.dispatcher settings gets them. */
    private static final DispatcherProperties PROPERTIES =
            new Binder().bindOrCreate("herald.dispatcher", DispatcherProperties.class);

    private RedisServer redis;
    private LettuceConnectionFactory connections;
    private ReactiveStringRedisTemplate template;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration(redis.host(), redis.port()),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
        connections.afterPropertiesSet();
        connections.start();
        template = new ReactiveStringRedisTemplate(connections);
    }

    @AfterEach
    void stop() {
        connections.destroy();
        redis.close();
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void unknownUntilTheGroupExistsThenTheBacklogThenUnknownWhenRedisStops() {
        IntakeBacklogGauge gauge = new IntakeBacklogGauge(template, PROPERTIES, meters);
        String stream = RedisKeys.intake(PROPERTIES.cell());

        gauge.poll().block(Duration.ofSeconds(10));
        assertThat(gauge("herald.dispatcher.intake.lag")).isNaN();

        for (int i = 0; i < 3; i++) {
            template.opsForStream().add(stream, Map.of("n", String.valueOf(i))).block(Duration.ofSeconds(5));
        }
        template.opsForStream().createGroup(stream, ReadOffset.from("0"), RedisKeys.DISPATCHER_GROUP)
                .block(Duration.ofSeconds(5));
        gauge.poll().block(Duration.ofSeconds(10));
        assertThat(gauge("herald.dispatcher.intake.lag")).isEqualTo(3.0);
        assertThat(gauge("herald.dispatcher.intake.pending")).isZero();

        redis.stop();
        gauge.poll().block(Duration.ofSeconds(10));
        assertThat(gauge("herald.dispatcher.intake.lag")).as("last value must not outlive Redis").isNaN();
        assertThat(gauge("herald.dispatcher.intake.pending")).isNaN();
    }
}
