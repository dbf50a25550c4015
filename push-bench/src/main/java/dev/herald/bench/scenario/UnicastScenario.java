package dev.herald.bench.scenario;

import dev.herald.bench.clock.RatePacer;
import dev.herald.bench.report.Figures;
import dev.herald.bench.report.LatencySummary;
import dev.herald.bench.report.Phase;
import dev.herald.bench.worker.BenchPayload;
import dev.herald.bench.worker.ReceiveStats;
import dev.herald.bench.worker.WorkerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Unicasts through push-api to the run's devices in turn, at a fixed rate or flat out, with a bounded
 * number of requests in flight; measures end-to-end latency (send time in the payload to receipt on
 * the device) and deliveries per second.
 *
 * <p>At a fixed rate each message carries the time it was <em>due</em>, not the time it went out: when
 * the sender falls behind (all requests in flight), the wait counts as latency instead of hiding it
 * (no coordinated omission).
 */
final class UnicastScenario implements Scenario {

    private static final Duration IDLE = Duration.ofSeconds(5);

    record UnicastFigures(double targetRate, double achievedRate, long sent, long accepted, long rejected,
                          Map<String, Integer> failures, long deliveries, long missing, long replays, double seconds,
                          double deliveriesPerSecond, double maxBehindScheduleMs, LatencySummary endToEnd,
                          LatencySummary fromHttpSend, LatencySummary httpAccept) {
    }

    @Override
    public void run(RunContext run) throws InterruptedException {
        ScenarioSpec spec = run.spec();
        SendSpec send = spec.send();
        DeviceSpec devices = spec.devices();
        run.connect();
        PushApiClient api = new PushApiClient(send.api(), devices.app(), send.key(), devices.secret(), send.auth());
        RatePacer pacer = new RatePacer(send.rate());
        Semaphore inFlight = new Semaphore(send.concurrency());
        Recorder http = new Recorder(3);
        AtomicLong accepted = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        long behindMax = 0;
        long sent = 0;
        long durationNanos = (long) (send.durationSeconds() * 1e9);
        Instant startInstant = Instant.now();
        long start = System.nanoTime();
        int batch = send.batch();
        List<PushMessage> pending = new ArrayList<>(batch);
        long pendingSince = 0;
        while (devices.devices() > 0) {
            long due = pacer.dueNanos(sent);
            if ((pacer.unpaced() ? System.nanoTime() - start : due) >= durationNanos) {
                break;
            }
            pacer.awaitTurn(sent, start);
            if (pending.isEmpty()) {
                inFlight.acquire();
                pendingSince = System.nanoTime();
            }
            long now = System.nanoTime();
            Instant stamp;
            long lagNanos = 0;
            if (pacer.unpaced()) {
                stamp = Instant.now();
            } else {
                lagNanos = Math.max(0, now - start - due);
                behindMax = Math.max(behindMax, lagNanos);
                stamp = startInstant.plusNanos(due);
            }
            int target = devices.firstDevice() + (int) (sent % devices.devices());
            byte[] payload = BenchPayload.encode(BenchPayload.UNICAST, run.runId(), (int) sent, stamp, lagNanos / 1000,
                    send.payloadBytes());
            pending.add(PushMessage.unicast(devices.devicePrefix() + target, payload, send.offline(), send.ttlSeconds()));
            sent++;
            if (pending.size() == batch) {
                post(api, pending, pendingSince, http, accepted, rejected, failures, inFlight);
                pending = new ArrayList<>(batch);
            }
        }
        if (!pending.isEmpty()) {
            post(api, pending, pendingSince, http, accepted, rejected, failures, inFlight);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        inFlight.acquire(send.concurrency()); // every request answered
        run.awaitReceived(accepted.get(), Duration.ofMillis((long) (send.drainSeconds() * 1000)), IDLE);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<ReceiveStats> parts = new ArrayList<>();
        for (WorkerResult r : run.finish()) {
            parts.add(r.receive());
        }
        ReceiveStats received = ReceiveStats.merge(parts);
        run.phase(phase(send, sent, sendSeconds, accepted.get(), rejected.get(), new TreeMap<>(failures), received,
                http.getIntervalHistogram(), behindMax, seconds));
    }

    /** One request (a single send, or a batch above one message); the caller holds one in-flight permit for it. */
    private static void post(PushApiClient api, List<PushMessage> messages, long since, Recorder http, AtomicLong accepted,
                             AtomicLong rejected, Map<String, Integer> failures, Semaphore inFlight) {
        int count = messages.size();
        (count == 1 ? api.send(messages.get(0)) : api.sendBatch(messages))
                .whenComplete((status, error) -> {
                    http.recordValue(Math.max(1, (System.nanoTime() - since) / 1000));
                    if (error == null && status == 202) {
                        accepted.addAndGet(count);
                    } else {
                        rejected.addAndGet(count);
                        failures.merge(error == null ? "HTTP " + status : error.getClass().getSimpleName(), count, Integer::sum);
                    }
                    inFlight.release();
                });
    }

    static Phase phase(SendSpec send, long sent, double sendSeconds, long accepted, long rejected,
                       Map<String, Integer> failures, ReceiveStats received, Histogram httpMicros, long behindNanos,
                       double seconds) {
        double window = received.lastMicros() > received.firstMicros() ? (received.lastMicros() - received.firstMicros()) / 1e6 : 0;
        double perSecond = window > 0 ? received.deliveries() / window : 0;
        double achieved = sendSeconds > 0 ? sent / sendSeconds : 0;
        UnicastFigures f = new UnicastFigures(send.rate(), Figures.round(achieved, 1), sent, accepted, rejected, failures,
                received.deliveries(), Math.max(0, accepted - received.deliveries()), received.replays(),
                Figures.round(seconds, 3), Figures.round(perSecond, 1), Figures.round(behindNanos / 1e6, 3),
                LatencySummary.of(received.latencies()), LatencySummary.of(received.latenciesFromSend()),
                LatencySummary.of(httpMicros));
        String summary = sent + " sent " + (send.rate() > 0 ? "at " + Figures.rate(send.rate()) + " target" : "flat out")
                + " (" + Figures.rate(achieved) + " achieved, " + send.concurrency() + " in flight"
                + (send.batch() > 1 ? ", " + send.batch() + " per request" : "") + "), " + accepted
                + " accepted, " + f.deliveries() + " delivered (" + Figures.rate(perSecond) + "), " + f.missing()
                + " missing; end-to-end " + f.endToEnd().oneLine()
                + (f.maxBehindScheduleMs() > 1 ? " (sender fell " + Figures.ms(f.maxBehindScheduleMs())
                + " behind; from actual send " + f.fromHttpSend().oneLine() + ")" : "") + "; HTTP 202 p50 " + Figures.ms(f.httpAccept().p50Ms())
                + ", p99 " + Figures.ms(f.httpAccept().p99Ms()) + (rejected > 0 ? "; rejected " + failures : "");
        return new Phase("unicast", f.seconds(), summary, f);
    }
}
