package dev.herald.api.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.ApiIntegrationTest;
import dev.herald.api.PushApiProperties;
import dev.herald.core.app.App;
import dev.herald.core.app.AppLimits;
import dev.herald.web.problem.RejectedRequestException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Per-app send limits from configuration (apps {@code limited}: 5/s, {@code quota}: 3 per day, {@code busy}:
 * 100 000/s in {@code application-test.yml}), enforced through a real Redis.
 */
class SendLimitsTest extends ApiIntegrationTest {

    private static final String MESSAGE = "{\"deviceId\": \"device-1\", \"text\": \"hi\"}";

    @Autowired
    ReactiveStringRedisTemplate reactiveRedis;
    @Autowired
    PushApiProperties properties;
    @Autowired
    MeterRegistry meters;

    private EntityExchangeResult<byte[]> send(String app, String body) {
        return signed(app + "-key", app + "-secret-0123456789", HttpMethod.POST, "/v1/apps/" + app + "/messages", body)
                .expectBody().returnResult();
    }

    @Test
    void beyondItsRatePerSecondAnAppGets429WithRetryAfter() {
        long start = System.nanoTime();
        List<EntityExchangeResult<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            results.add(send("limited", MESSAGE));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        long accepted = results.stream().filter(r -> r.getStatus() == HttpStatus.ACCEPTED).count();
        List<EntityExchangeResult<byte[]>> limited = results.stream()
                .filter(r -> r.getStatus() == HttpStatus.TOO_MANY_REQUESTS).toList();
        assertThat(accepted + limited.size()).isEqualTo(15);
        // A burst of one second's worth, then the rate: never more.
        assertThat(accepted).isGreaterThanOrEqualTo(5).isLessThanOrEqualTo(5 + (long) Math.floor(5 * seconds));
        EntityExchangeResult<byte[]> refusal = limited.get(0);
        assertThat(refusal.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(refusal.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(new String(refusal.getResponseBodyContent()))
                .contains("\"code\":\"RATE_LIMITED\"")
                .contains("may send 5 messages per second")
                .contains("\"limit\":5");
    }

    @Test
    void aDailyQuotaRefusesUntilTheNextUtcDayAndInvalidSendsDoNotCount() {
        assertThat(send("quota", "{\"deviceId\": \"device-1\"}").getStatus()).isEqualTo(HttpStatus.BAD_REQUEST);
        for (int i = 0; i < 3; i++) {
            assertThat(send("quota", MESSAGE).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
        }

        EntityExchangeResult<byte[]> refusal = send("quota", MESSAGE);

        assertThat(refusal.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        long toMidnight = Duration.between(Instant.now(),
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC)).toSeconds();
        assertThat(Long.parseLong(refusal.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
                .isBetween(toMidnight - 5, toMidnight + 5);
        assertThat(new String(refusal.getResponseBodyContent()))
                .contains("\"code\":\"QUOTA_EXCEEDED\"").contains("its 3 messages for today");
        // Other apps are not affected.
        assertThat(send("busy", MESSAGE).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
    }

    @Test
    void aBatchCountsEachMessageAndPassesWholeOrNotAtAll() {
        String message = "{\"deviceId\": \"device-1\", \"text\": \"b\"}";
        String five = "{\"messages\": [" + String.join(",", java.util.Collections.nCopies(5, message)) + "]}";
        String six = "{\"messages\": [" + String.join(",", java.util.Collections.nCopies(6, message)) + "]}";
        String path = "/v1/apps/batched/messages/batch";

        EntityExchangeResult<byte[]> never = signed("batched-key", "batched-secret-0123456789", HttpMethod.POST, path, six)
                .expectBody().returnResult();
        assertThat(never.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(never.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).as("retrying never helps").isNull();
        assertThat(new String(never.getResponseBodyContent())).contains("send batches of at most 5 messages");

        signed("batched-key", "batched-secret-0123456789", HttpMethod.POST, path, five).expectStatus().isAccepted();
        EntityExchangeResult<byte[]> later = signed("batched-key", "batched-secret-0123456789", HttpMethod.POST, path, five)
                .expectBody().returnResult();
        assertThat(later.getStatus()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        assertThat(later.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(new String(later.getResponseBodyContent())).contains("\"code\":\"RATE_LIMITED\"");
        // Nothing of the refused batch was taken: a single send goes through as soon as one token is back.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(3)).until(() ->
                send("batched", message).getStatus() == HttpStatus.ACCEPTED);
    }

    @Test
    void aBusyAppSpendsLeasedTokensWithoutARedisRoundTripPerSend() {
        double localBefore = meters.counter("herald.api.limits.checks", "where", "local").count();
        double redisBefore = meters.counter("herald.api.limits.checks", "where", "redis").count();

        for (int i = 0; i < 60; i++) {
            assertThat(send("busy", MESSAGE).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
        }

        double local = meters.counter("herald.api.limits.checks", "where", "local").count() - localBefore;
        double remote = meters.counter("herald.api.limits.checks", "where", "redis").count() - redisBefore;
        assertThat(local + remote).isEqualTo(60);
        assertThat(local).as("sends answered from the local lease").isGreaterThan(remote);
    }

    /**
     * Two push-api instances (two limiters, each with its own leases) against one Redis, hammered together
     * for a second: between them they never admit more than the burst plus the rate over the elapsed time,
     * and they do not starve each other.
     */
    @Test
    void twoInstancesTogetherStayWithinTheRate() throws Exception {
        App app = new App("pair-" + UUID.randomUUID().toString().substring(0, 8), null, "pair-key",
                List.of("pair-secret-0123456789"), null, new AppLimits(200, 0), null);
        List<SendLimiter> instances = List.of(new SendLimiter(reactiveRedis, properties, new SimpleMeterRegistry()),
                new SendLimiter(reactiveRedis, properties, new SimpleMeterRegistry()));
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(1).toNanos();
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        for (int caller = 0; caller < 4; caller++) {
            SendLimiter limiter = instances.get(caller % 2);
            callers.add(CompletableFuture.runAsync(() -> {
                while (System.nanoTime() < end) {
                    try {
                        limiter.acquire(app).block(Duration.ofSeconds(5));
                        admitted.incrementAndGet();
                    } catch (RejectedRequestException e) {
                        refused.incrementAndGet();
                    }
                }
            }));
        }
        // Each caller stops at the end of the run; one acquire waits 5 s at most.
        CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;

        System.out.printf("two limiters, 200/s: admitted %d, refused %d in %.2f s%n", admitted.get(), refused.get(), seconds);
        assertThat(admitted.get()).isLessThanOrEqualTo(200 + (int) Math.ceil(200 * seconds));
        assertThat(admitted.get()).isGreaterThanOrEqualTo((int) (0.7 * (200 + 200 * (seconds - 0.1))));
        assertThat(refused.get()).isPositive();
    }
}
