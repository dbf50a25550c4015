package dev.herald.bench.scenario;

import dev.herald.bench.report.Figures;
import dev.herald.bench.report.HistogramCodec;
import dev.herald.bench.report.LatencySummary;
import dev.herald.bench.report.Phase;
import dev.herald.bench.worker.BenchPayload;
import dev.herald.bench.worker.ConnectStats;
import dev.herald.bench.worker.MessageReceipt;
import dev.herald.bench.worker.ReceiveStats;
import dev.herald.bench.worker.WorkerResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Broadcasts to every connected device through push-api: one message at a time (each awaited until
 * every device has it) or a burst of all of them at once. Reports, per message, the time until the
 * last device had it, and the overall deliveries per second.
 *
 * <p>The {@code room} scenario is the same measurement for a chat room: every device joins one room after its
 * login, and the messages are posted to the room ({@code POST /v1/apps/{app}/rooms/{room}/messages}), so they go
 * through the room sequencer and reach each access node once, then each member.
 */
final class BroadcastScenario implements Scenario {

    private final boolean room;

    BroadcastScenario(boolean room) {
        this.room = room;
    }

    /** Wait this long without a new delivery before deciding the rest is not coming. */
    private static final Duration IDLE = Duration.ofSeconds(5);

    record BroadcastFigures(boolean burst, int devicesConnected, int messages, int accepted, int rejected,
                            long expectedDeliveries, long deliveries, long missing, long replays,
                            int messagesReachingAll, double seconds, double deliveriesPerSecond,
                            LatencySummary timeToLastDevice, LatencySummary timeToFirstDevice,
                            LatencySummary deliveryLatency, LatencySummary httpAccept) {
    }

    @Override
    public void run(RunContext run) throws InterruptedException {
        ScenarioSpec spec = run.spec();
        SendSpec send = spec.send();
        ConnectStats connected = run.connect();
        int devices = connected.connected();
        PushApiClient api = new PushApiClient(send.api(), spec.devices().app(), send.key(), spec.devices().secret(), send.auth());
        Recorder http = new Recorder(3);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        Duration drain = Duration.ofMillis((long) (send.drainSeconds() * 1000));

        for (int i = 0; i < send.warmup(); i++) {
            long before = run.received();
            sendOne(api, BenchPayload.WARMUP, run.runId(), i, send, new Recorder(3), new AtomicInteger(), new AtomicInteger(),
                    spec.devices().room()).join();
            run.awaitReceived(before + devices, drain, IDLE);
        }
        long base = run.received();
        long start = System.nanoTime();
        if (send.burst()) {
            Semaphore inFlight = new Semaphore(send.concurrency());
            for (int i = 0; i < send.messages(); i++) {
                inFlight.acquire();
                sendOne(api, BenchPayload.BROADCAST, run.runId(), i, send, http, accepted, rejected, spec.devices().room())
                        .whenComplete((status, error) -> inFlight.release());
            }
            inFlight.acquire(send.concurrency()); // every request answered
            run.awaitReceived(base + (long) accepted.get() * devices, drain, IDLE);
        } else {
            for (int i = 0; i < send.messages(); i++) {
                long before = run.received();
                boolean ok = sendOne(api, BenchPayload.BROADCAST, run.runId(), i, send, http, accepted, rejected,
                        spec.devices().room()).join();
                if (ok) {
                    run.awaitReceived(before + devices, drain, IDLE);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<WorkerResult> results = run.finish();
        List<ReceiveStats> parts = new ArrayList<>();
        for (WorkerResult r : results) {
            parts.add(r.receive());
        }
        ReceiveStats received = ReceiveStats.merge(parts);
        Phase phase = phase(send, devices, accepted.get(), rejected.get(), received, http.getIntervalHistogram(), seconds);
        run.phase(room ? new Phase("room", phase.seconds(), phase.summary().replace(" broadcasts", " room messages"),
                phase.figures()) : phase);
    }

    /** Sends one broadcast (or room message); completes with whether push-api accepted it (never exceptionally). */
    private CompletableFuture<Boolean> sendOne(PushApiClient api, int kind, int runId, int seq, SendSpec send,
                                               Recorder http, AtomicInteger accepted, AtomicInteger rejected,
                                               String roomId) {
        byte[] payload = BenchPayload.encode(kind, runId, seq, Instant.now(), send.payloadBytes());
        long t0 = System.nanoTime();
        CompletableFuture<Integer> request = room ? api.sendToRoom(roomId, payload)
                : api.send(PushMessage.broadcast(payload, send.offline(), send.ttlSeconds()));
        return request.handle((status, error) -> {
            http.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            boolean ok = error == null && status == 202;
            (ok ? accepted : rejected).incrementAndGet();
            return ok;
        });
    }

    static Phase phase(SendSpec send, int devices, int accepted, int rejected, ReceiveStats received,
                       Histogram httpMicros, double seconds) {
        Histogram toLast = HistogramCodec.empty();
        Histogram toFirst = HistogramCodec.empty();
        long firstSent = Long.MAX_VALUE;
        int reachingAll = 0;
        for (MessageReceipt r : received.broadcasts()) {
            toLast.recordValue(Math.max(0, r.microsToLast()));
            toFirst.recordValue(Math.max(0, r.firstMicros() - r.sentMicros()));
            firstSent = Math.min(firstSent, r.sentMicros());
            if (r.count() >= devices) {
                reachingAll++;
            }
        }
        double window = firstSent == Long.MAX_VALUE || received.lastMicros() <= firstSent ? 0
                : (received.lastMicros() - firstSent) / 1e6;
        double perSecond = window > 0 ? received.deliveries() / window : 0;
        long expected = (long) accepted * devices;
        BroadcastFigures f = new BroadcastFigures(send.burst(), devices, send.messages(), accepted, rejected, expected,
                received.deliveries(), Math.max(0, expected - received.deliveries()), received.replays(), reachingAll,
                Figures.round(seconds, 3), Figures.round(perSecond, 1), LatencySummary.of(toLast), LatencySummary.of(toFirst),
                LatencySummary.of(received.latencies()), LatencySummary.of(httpMicros));
        String summary = accepted + "/" + send.messages() + " broadcasts" + (send.burst() ? " (burst)" : " (one at a time)")
                + " to " + devices + " devices: " + f.deliveries() + "/" + expected + " delivered, "
                + Figures.rate(perSecond) + " deliveries; time to last device median "
                + Figures.ms(f.timeToLastDevice().p50Ms()) + ", p99 " + Figures.ms(f.timeToLastDevice().p99Ms())
                + ", max " + Figures.ms(f.timeToLastDevice().maxMs()) + "; per delivery " + f.deliveryLatency().oneLine()
                + (rejected > 0 ? "; " + rejected + " rejected by push-api" : "");
        return new Phase("broadcast", f.seconds(), summary, f);
    }
}
