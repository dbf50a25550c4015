package dev.herald.api.limit;

import dev.herald.api.PushApiProperties;
import dev.herald.api.problem.ProblemCode;
import dev.herald.core.app.App;
import dev.herald.core.app.AppLimits;
import dev.herald.core.redis.RedisKeys;
import dev.herald.web.problem.Problems;
import dev.herald.web.problem.RejectedRequestException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Enforces each app's {@link AppLimits} on sends, together across every push-api instance: a token bucket
 * ({@code messagesPerSecond}, bursts of one second's worth) and a count per UTC day
 * ({@code messagesPerDay}) in one Redis hash per app, {@code h:limit:{app}}, updated by one Lua script
 * that uses Redis's clock, so instances with skewed clocks still share one bucket and one day.
 *
 * <p>The hot path does not pay a Redis round trip per send: each instance takes a small lease of tokens
 * ({@link LocalAllowance}) and spends it locally for up to {@code herald.api.limit-lease}, and repeats a
 * refusal locally for up to a second. Only tokens taken from the shared bucket are ever spent, so the
 * instances together never exceed the limits; parked tokens go back with the next request to Redis.
 * Limits are read from the app on every send, so a change in ZooKeeper applies at once (an instance's
 * allowance restarts when its app's limits change).
 *
 * <p>Why not Bucket4j here, as in the room sequencer ({@code dev.herald.core.limit.TokenBucket}): its Redis
 * buckets (bucket4j-lettuce 8.14) are compare-and-swap only, a {@code GET} and then a CAS script, so two round
 * trips per request where this script takes one (and more when instances race), and they run on each instance's
 * clock, not Redis's. The lease ({@link LocalAllowance}) is not a bucket either: it counts tokens already taken
 * from this one, with no refill of its own, so a local Bucket4j bucket would only wrap a counter.
 */
@Component
public final class SendLimiter {

    /**
     * KEYS[1] = h:limit:{app}; ARGV = want, refund, rate (per second, 0 = none), quota (per UTC day, 0 =
     * none), need (at least this many or none: a batch is taken whole). Returns {granted, wait ms, reason
     * (0 ok, 1 rate, 2 quota)}.
     */
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> TAKE = RedisScript.of("""
            local want = tonumber(ARGV[1])
            local refund = tonumber(ARGV[2])
            local rate = tonumber(ARGV[3])
            local quota = tonumber(ARGV[4])
            local need = tonumber(ARGV[5])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local day = math.floor(tonumber(t[1]) / 86400)
            local s = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'day', 'used')
            local tokens = tonumber(s[1])
            local ts = tonumber(s[2])
            local used = tonumber(s[4]) or 0
            if tonumber(s[3]) ~= day then used = 0 end
            used = math.max(0, used - refund)
            if rate > 0 then
              if tokens == nil or ts == nil then tokens = rate; ts = now end
              if now > ts then tokens = tokens + (now - ts) * rate / 1000 end
              tokens = math.min(rate, tokens + refund)
            else
              tokens = 0
            end
            local granted = want
            local wait = 0
            local reason = 0
            if quota > 0 and quota - used < granted then
              granted = math.max(0, quota - used)
              if granted < need then
                granted = 0
                reason = 2
                wait = (day + 1) * 86400000 - now
              end
            end
            if rate > 0 and reason == 0 then
              local whole = math.floor(tokens)
              if whole < granted then granted = whole end
              if granted < need then
                granted = 0
                reason = 1
                wait = math.ceil((need - tokens) * 1000 / rate)
              end
              tokens = tokens - granted
            end
            used = used + granted
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now), 'day', tostring(day),
              'used', tostring(used))
            redis.call('PEXPIRE', KEYS[1], 172800000)
            return {granted, wait, reason}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;
    private final long leaseNanos;
    private final Map<String, LocalAllowance> allowances = new ConcurrentHashMap<>();
    private final Counter localChecks;
    private final Counter redisChecks;
    private final Counter refusedRate;
    private final Counter refusedQuota;

    public SendLimiter(ReactiveStringRedisTemplate redis, PushApiProperties properties, MeterRegistry meters) {
        this.redis = redis;
        this.leaseNanos = properties.limitLease().toNanos();
        this.localChecks = checks(meters, "local");
        this.redisChecks = checks(meters, "redis");
        this.refusedRate = refused(meters, "rate");
        this.refusedQuota = refused(meters, "quota");
    }

    private static Counter checks(MeterRegistry meters, String where) {
        return Counter.builder("herald.api.limits.checks")
                .description("Sends of limited apps checked against their limits, by where the answer came from")
                .tag("where", where)
                .register(meters);
    }

    private static Counter refused(MeterRegistry meters, String limit) {
        return Counter.builder("herald.api.limits.refused")
                .description("Sends refused with 429 by an app's limits, by limit")
                .tag("limit", limit)
                .register(meters);
    }

    /** {@link #acquire(App, int)} of one message. */
    public Mono<Void> acquire(App app) {
        return acquire(app, 1);
    }

    /**
     * Takes {@code count} messages of {@code app} (one send, or a batch taken whole) off its limits.
     * Completes empty when they may go; fails with a 429 {@link RejectedRequestException}
     * ({@code RATE_LIMITED} or {@code QUOTA_EXCEEDED}, with {@code Retry-After}) when they may not, without
     * {@code Retry-After} when a batch is larger than a whole second's or day's worth and never can.
     */
    public Mono<Void> acquire(App app, int count) {
        AppLimits limits = app.limits();
        if (limits.unlimited()) {
            allowances.remove(app.id());
            return Mono.empty();
        }
        if (limits.messagesPerSecond() > 0 && count > limits.messagesPerSecond()) {
            return Mono.error(tooLarge(app, count, ProblemCode.RATE_LIMITED, limits.messagesPerSecond(),
                    "may send in one second (limits.messagesPerSecond)"));
        }
        if (limits.messagesPerDay() > 0 && count > limits.messagesPerDay()) {
            return Mono.error(tooLarge(app, count, ProblemCode.QUOTA_EXCEEDED, limits.messagesPerDay(),
                    "may send in one day (limits.messagesPerDay)"));
        }
        LocalAllowance allowance = allowances.compute(app.id(), (id, current) ->
                current != null && current.limits().equals(limits) ? current : new LocalAllowance(limits, leaseNanos));
        long now = System.nanoTime();
        switch (allowance.tryTake(now, count)) {
            case TAKEN -> {
                localChecks.increment();
                return Mono.empty();
            }
            case BLOCKED -> {
                localChecks.increment();
                return Mono.error(refusal(app, allowance.blockedBy(), allowance.retryAfterNanos(now)));
            }
            default -> {
                return askRedis(app, allowance, count);
            }
        }
    }

    private Mono<Void> askRedis(App app, LocalAllowance allowance, int count) {
        AppLimits limits = app.limits();
        int want = allowance.want(count);
        int refund = allowance.takeRefund();
        redisChecks.increment();
        return redis.execute(TAKE, List.of(RedisKeys.limits(app.id())), List.of(String.valueOf(want),
                        String.valueOf(refund), String.valueOf(limits.messagesPerSecond()),
                        String.valueOf(limits.messagesPerDay()), String.valueOf(count)))
                .next()
                .doOnError(e -> allowance.returnRefund(refund))
                .flatMap(reply -> {
                    long granted = number(reply, 0);
                    long wait = number(reply, 1);
                    LimitReason reason = LimitReason.of(number(reply, 2));
                    long at = System.nanoTime();
                    return allowance.granted(granted, count, wait, reason, at) ? Mono.<Void>empty()
                            : Mono.error(refusal(app, reason, allowance.retryAfterNanos(at)));
                });
    }

    private static long number(List<?> reply, int index) {
        Object value = reply.size() > index ? reply.get(index) : null;
        return value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value));
    }

    private RejectedRequestException tooLarge(App app, int count, ProblemCode code, long limit, String what) {
        (code == ProblemCode.QUOTA_EXCEEDED ? refusedQuota : refusedRate).increment();
        ProblemDetail problem = Problems.of(code, "A batch of " + count + " messages is more than app '" + app.id()
                + "' " + what + ", " + limit + ": send batches of at most " + limit + " messages.");
        problem.setProperty("limit", limit);
        return new RejectedRequestException(problem);
    }

    private RejectedRequestException refusal(App app, LimitReason reason, long retryAfterNanos) {
        Duration wait = Duration.ofNanos(retryAfterNanos);
        long seconds = RejectedRequestException.seconds(wait);
        ProblemDetail problem;
        if (reason == LimitReason.QUOTA) {
            refusedQuota.increment();
            problem = Problems.of(ProblemCode.QUOTA_EXCEEDED, "App '" + app.id() + "' has sent its "
                    + app.limits().messagesPerDay() + " messages for today (limits.messagesPerDay, per UTC day); the "
                    + "quota renews at 00:00 UTC, in " + seconds + " s.");
            problem.setProperty("limit", app.limits().messagesPerDay());
        } else {
            refusedRate.increment();
            problem = Problems.of(ProblemCode.RATE_LIMITED, "App '" + app.id() + "' may send "
                    + app.limits().messagesPerSecond() + " messages per second (limits.messagesPerSecond); retry after "
                    + seconds + " s.");
            problem.setProperty("limit", app.limits().messagesPerSecond());
        }
        return new RejectedRequestException(problem, wait);
    }
}
