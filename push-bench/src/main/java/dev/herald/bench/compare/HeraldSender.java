package dev.herald.bench.compare;

import dev.herald.bench.scenario.PushApiClient;
import dev.herald.bench.scenario.PushMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends through push-api as the {@code broadcast} and {@code unicast} scenarios do: broadcasts one request
 * each; unicasts gathered into {@code POST .../messages/batch} requests of up to {@code batch} messages, a
 * partial batch posted once its first message has waited {@code linger} (so a paced run does not wait for a
 * full batch); at most {@code concurrency} requests in flight. A request push-api refuses for now (503: its
 * delivery backlog is full) is sent again after {@link #RESEND_AFTER}, as an app server that retries would;
 * it keeps its place in flight meanwhile, so refusals slow the sender down.
 */
final class HeraldSender implements MessageSender {

    /** Shorter than push-api's Retry-After (whole seconds): its backlog is measured every 100 ms. */
    static final Duration RESEND_AFTER = Duration.ofMillis(100);

    private final PushApiClient api;
    private final int batch;
    private final long lingerNanos;
    private final boolean offline;
    private final int ttlSeconds;
    private final int concurrency;
    private final Semaphore inFlight;
    private final SendCounts counts = new SendCounts();
    private List<PushMessage> pending = new ArrayList<>();
    private long pendingSince;

    HeraldSender(PushApiClient api, int batch, Duration linger, boolean offline, int ttlSeconds, int concurrency) {
        this.api = api;
        this.batch = batch;
        this.lingerNanos = linger.toNanos();
        this.offline = offline;
        this.ttlSeconds = ttlSeconds;
        this.concurrency = concurrency;
        this.inFlight = new Semaphore(concurrency);
    }

    @Override
    public void broadcast(byte[] payload) throws InterruptedException {
        inFlight.acquire();
        PushMessage message = PushMessage.broadcast(payload, false, ttlSeconds);
        track(() -> api.send(message), 1);
    }

    @Override
    public void unicast(String deviceId, byte[] payload) throws InterruptedException {
        if (pending.isEmpty()) {
            pendingSince = System.nanoTime();
        }
        pending.add(PushMessage.unicast(deviceId, payload, offline, ttlSeconds));
        if (pending.size() >= batch) {
            post();
        }
    }

    @Override
    public void idle() throws InterruptedException {
        if (!pending.isEmpty() && System.nanoTime() - pendingSince >= lingerNanos) {
            post();
        }
    }

    private void post() throws InterruptedException {
        List<PushMessage> messages = pending;
        pending = new ArrayList<>(batch);
        inFlight.acquire();
        track(() -> messages.size() == 1 ? api.send(messages.get(0)) : api.sendBatch(messages), messages.size());
    }

    private void track(Supplier<CompletableFuture<Integer>> request, int messages) {
        request.get().whenComplete((status, error) -> {
            if (error == null && status == 503) {
                counts.resent(messages);
                CompletableFuture.delayedExecutor(RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS)
                        .execute(() -> track(request, messages));
                return;
            }
            if (error == null && status == 202) {
                counts.accepted(messages);
            } else {
                counts.rejected(messages, error == null ? "HTTP " + status : error.getClass().getSimpleName());
            }
            inFlight.release();
        });
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        if (!pending.isEmpty()) {
            post();
        }
        if (inFlight.tryAcquire(concurrency, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            inFlight.release(concurrency);
        }
    }

    @Override
    public SendCounts counts() {
        return counts;
    }

    @Override
    public void close() {
        // the JDK HTTP client has no connections worth closing early; it goes with the run
    }
}
