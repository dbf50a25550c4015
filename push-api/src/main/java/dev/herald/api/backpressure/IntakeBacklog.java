package dev.herald.api.backpressure;

import dev.herald.core.schedule.Periodic;
import dev.herald.core.schedule.PeriodicTask;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.App;
import dev.herald.core.redis.RedisKeys;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps push-api from accepting work the dispatchers cannot deliver soon. Every {@code poll-interval} it
 * measures, for each cell it has sent to, the intake stream's length and the age of its oldest entry (XLEN
 * and XRANGE COUNT 1: the dispatchers delete what they acknowledge, so what is left is the backlog), and a
 * send to a cell past {@link BacklogProperties#maxEntries()} or {@link BacklogProperties#maxAge()} is refused
 * with 503 {@code BACKLOG_FULL} and {@code Retry-After}. The check itself is a map read: nothing is added to a
 * send's round trips.
 *
 * <p>When the backlog cannot be measured (Redis unreachable, or no measurement for several intervals) sends
 * are let through: the write to Redis then fails on its own with a retryable 503, and a measuring fault alone
 * never stops traffic.
 */
@Component
public final class IntakeBacklog implements Periodic {

    private static final Logger log = LoggerFactory.getLogger(IntakeBacklog.class);
    /** A measurement older than this many intervals is no measurement: admit. */
    private static final int STALE_AFTER_INTERVALS = 5;
    private static final Duration MIN_STALE_AFTER = Duration.ofSeconds(1);

    private final ReactiveStringRedisTemplate redis;
    private final BacklogProperties limits;
    private final MeterRegistry meters;
    private final long staleAfterMillis;
    private final Map<String, CellBacklog> cells = new ConcurrentHashMap<>();
    private final PeriodicTask poller;

    IntakeBacklog(ReactiveStringRedisTemplate redis, BacklogProperties limits, MeterRegistry meters) {
        this.redis = redis;
        this.limits = limits;
        this.meters = meters;
        this.staleAfterMillis = Math.max(MIN_STALE_AFTER.toMillis(),
                STALE_AFTER_INTERVALS * limits.pollInterval().toMillis());
        this.poller = new PeriodicTask("intake backlog measurement", limits.pollInterval(), limits.pollInterval(),
                this::measure);
    }

    /**
     * Completes when {@code messages} more messages of {@code app} may be queued; fails with a 503
     * {@link RejectedRequestException} when its cell's backlog is past a bound.
     */
    public Mono<Void> admit(App app, int messages) {
        CellBacklog backlog = cells.get(app.cell());
        if (backlog == null) {
            watch(app.cell());
            return Mono.empty();
        }
        if (System.currentTimeMillis() - backlog.measuredAt() > staleAfterMillis || !backlog.full(messages, limits)) {
            return Mono.empty();
        }
        return Mono.error(refusal(app.cell(), backlog));
    }

    private RejectedRequestException refusal(String cell, CellBacklog backlog) {
        ProblemDetail problem = Problems.of(ProblemCode.BACKLOG_FULL, String.format(
                "Delivery in cell '%s' is behind: %d messages wait, the oldest for %d ms (limits: %d messages, %d ms:"
                        + " herald.api.backlog.*). Nothing was sent; retry after %d s.",
                cell, backlog.entries(), backlog.ageMillis(), limits.maxEntries(), limits.maxAge().toMillis(),
                RejectedRequestException.seconds(limits.retryAfter())));
        problem.setProperty("backlog", backlog.entries());
        problem.setProperty("backlogAgeMillis", backlog.ageMillis());
        return new RejectedRequestException(problem, limits.retryAfter());
    }

    /** Starts measuring a cell, and exposes its figures. */
    private void watch(String cell) {
        if (cells.putIfAbsent(cell, CellBacklog.EMPTY) != null) {
            return;
        }
        Gauge.builder("herald.api.intake.backlog", cells, c -> entries(c.get(cell)))
                .description("Intake entries of the cell not yet dispatched, as last measured (NaN when unknown)")
                .tag("target.cell", cell).register(meters);
        Gauge.builder("herald.api.intake.backlog.age", cells, c -> ageSeconds(c.get(cell)))
                .description("Age of the cell's oldest undispatched intake entry, as last measured (NaN when unknown)")
                .tag("target.cell", cell).baseUnit("seconds").register(meters);
        log.info("measuring the intake backlog of cell {} every {} (refusing sends past {} entries or {})", cell,
                limits.pollInterval(), limits.maxEntries(), limits.maxAge());
    }

    private double entries(CellBacklog backlog) {
        return fresh(backlog) ? backlog.entries() : Double.NaN;
    }

    private double ageSeconds(CellBacklog backlog) {
        return fresh(backlog) ? backlog.ageMillis() / 1000.0 : Double.NaN;
    }

    private boolean fresh(CellBacklog backlog) {
        return backlog != null && System.currentTimeMillis() - backlog.measuredAt() <= staleAfterMillis;
    }

    /** Measures every watched cell once. */
    private Mono<Void> measure() {
        return Flux.fromIterable(cells.keySet())
                .flatMap(this::measure)
                .then();
    }

    private Mono<Void> measure(String cell) {
        String stream = RedisKeys.intake(cell);
        Mono<Long> length = redis.opsForStream().size(stream);
        Mono<Long> oldest = redis.opsForStream().range(stream, Range.unbounded(), Limit.limit().count(1))
                .next()
                .map(entry -> entry.getId().getTimestamp())
                .defaultIfEmpty(0L);
        return Mono.zip(length, oldest)
                .timeout(Duration.ofMillis(Math.max(staleAfterMillis, 1_000)))
                .doOnNext(measured -> {
                    long now = System.currentTimeMillis();
                    long first = measured.getT2();
                    long age = measured.getT1() == 0 || first == 0 ? 0 : Math.max(0, now - first);
                    cells.put(cell, new CellBacklog(measured.getT1(), age, now));
                })
                .onErrorResume(e -> {
                    // The last measurement goes stale and sends are admitted; the gauges read NaN.
                    log.debug("cannot measure the intake backlog of cell {}: {}", cell, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    @Override
    public PeriodicTask task() {
        return poller;
    }
}
