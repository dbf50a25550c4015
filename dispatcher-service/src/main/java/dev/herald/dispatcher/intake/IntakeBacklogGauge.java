package dev.herald.dispatcher.intake;

import dev.herald.core.schedule.Periodic;
import dev.herald.core.schedule.PeriodicTask;
import dev.herald.core.redis.RedisKeys;
import dev.herald.dispatcher.DispatcherProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.stream.StreamInfo;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * How far behind the dispatchers are, from XINFO GROUPS every few seconds: entries read but not yet
 * acknowledged by any consumer of the group ({@code herald.dispatcher.intake.pending}) and entries not
 * yet read at all ({@code herald.dispatcher.intake.lag}; Redis 7+, otherwise NaN). Both read NaN
 * while the figure is unknown (no stream or group yet, or a poll failed or took longer than a poll
 * period): a dashboard showing the last value seen would look healthy exactly when Redis is not.
 */
@Component
final class IntakeBacklogGauge implements Periodic {

    private static final Logger log = LoggerFactory.getLogger(IntakeBacklogGauge.class);
    private static final Duration POLL_EVERY = Duration.ofSeconds(5);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(4);

    private final ReactiveStringRedisTemplate redis;
    private final String stream;
    private volatile double pending = Double.NaN;
    private volatile double lag = Double.NaN;
    private final PeriodicTask poller;

    IntakeBacklogGauge(ReactiveStringRedisTemplate redis, DispatcherProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.stream = RedisKeys.intake(properties.cell());
        this.poller = new PeriodicTask("intake backlog poll", Duration.ZERO, POLL_EVERY, this::poll);
        Gauge.builder("herald.dispatcher.intake.pending", this, g -> g.pending)
                .description("Intake entries read by a dispatcher but not yet acknowledged").register(meters);
        Gauge.builder("herald.dispatcher.intake.lag", this, g -> g.lag)
                .description("Intake entries not yet read by any dispatcher").register(meters);
    }

    Mono<Void> poll() {
        return redis.opsForStream().groups(stream)
                .filter(group -> RedisKeys.DISPATCHER_GROUP.equals(group.groupName()))
                .next()
                .timeout(POLL_TIMEOUT)
                .doOnNext(this::record)
                .switchIfEmpty(Mono.fromRunnable(this::unknown))
                .onErrorResume(e -> {
                    log.debug("intake backlog poll failed: {}", e.toString());
                    unknown();
                    return Mono.empty();
                })
                .then();
    }

    private void unknown() {
        pending = Double.NaN;
        lag = Double.NaN;
    }

    private void record(StreamInfo.XInfoGroup group) {
        pending = group.pendingCount() == null ? Double.NaN : group.pendingCount();
        Object reported = group.getRaw().get("lag");
        lag = reported instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    @Override
    public PeriodicTask task() {
        return poller;
    }
}
