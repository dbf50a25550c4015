package dev.herald.bench.compare;

import dev.herald.bench.clock.EpochMicros;
import dev.herald.bench.clock.RatePacer;
import dev.herald.bench.device.ConnectOutcome;
import dev.herald.bench.device.DeviceFleet;
import dev.herald.bench.device.EventLoops;
import dev.herald.bench.device.FleetSettings;
import dev.herald.bench.device.SourceAddresses;
import dev.herald.bench.report.Figures;
import dev.herald.bench.report.LatencySummary;
import dev.herald.bench.worker.BenchPayload;
import dev.herald.bench.worker.MessageReceipt;
import dev.herald.bench.worker.ReceiveLog;
import dev.herald.bench.worker.ReceiveStats;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs every scenario of the comparison against one target, in this order: connect {@code devices} (connects/s,
 * idle memory), connect more up to {@code memoryDevices} and let them go (idle memory), broadcasts one at a
 * time, a burst of broadcasts, unicasts flat out, paced unicasts. The devices are the same Netty devices for
 * every target; each payload carries its send time ({@link BenchPayload}), so latency is measured the same way.
 */
final class TargetRun {

    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration TOKEN_TTL = Duration.ofDays(1);

    private final CompareSettings settings;
    private final PrintStream out;

    // what the run measured so far; a failure keeps it
    private TargetFigures.Connects connects;
    private TargetFigures.IdleMemory memory;
    private TargetFigures.IdleMemory memoryAtMore;
    private TargetFigures.Broadcasts broadcasts;
    private TargetFigures.Burst burst;
    private TargetFigures.Unicasts flatOut;
    private TargetFigures.Unicasts paced;

    TargetRun(CompareSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Starts the target, measures, stops it; never throws for a failing target: the error goes into the figures. */
    TargetFigures run(Target target) {
        PhaseSink sink = new PhaseSink();
        String error = null;
        try {
            target.start();
            say(target, target.describe());
            measure(target, sink);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getMessage() != null ? e.getMessage() : e.toString();
            say(target, "failed: " + error);
        } finally {
            target.close();
        }
        return new TargetFigures(target.name(), target.describe(), error, connects, memory, memoryAtMore, broadcasts,
                burst, flatOut, paced, sink.disconnects());
    }

    private void measure(Target target, PhaseSink sink) throws Exception {
        Long rssBefore = target.rssBytes();
        try (DeviceFleet fleet = new DeviceFleet(fleet(target, 0, settings.devices()), sink, target.devices())) {
            ConnectOutcome first = fleet.connectAll();
            connects = connects(first);
            say(target, "connect: " + first.connected() + "/" + first.attempted() + " in " + Figures.seconds(connects.seconds())
                    + " = " + Figures.rate(connects.perSecond()) + (first.failed() > 0 ? ", failed " + first.failures() : ""));
            if (first.connected() == 0) {
                throw new IllegalStateException("no device could connect: " + first.failures());
            }
            memory = idleMemory(target, rssBefore, first.connected());
            if (settings.secondMemoryReading()) {
                int more = settings.memoryDevices() - settings.devices();
                try (DeviceFleet extra = new DeviceFleet(fleet(target, settings.devices(), more), sink, target.devices())) {
                    ConnectOutcome second = extra.connectAll();
                    memoryAtMore = idleMemory(target, rssBefore, first.connected() + second.connected());
                }
            }
            List<String> online = fleet.openDeviceIds();
            if (online.isEmpty()) {
                throw new IllegalStateException("every device lost its connection before the traffic scenarios: "
                        + sink.disconnects());
            }
            try (EventLoops senderLoop = new EventLoops(1); MessageSender sender = target.openSender(senderLoop)) {
                broadcasts = broadcasts(target, sender, sink, online.size());
                burst = burst(target, sender, sink, online.size());
                flatOut = unicasts(target, sender, sink, online, 0, settings.unicastSeconds());
                paced = unicasts(target, sender, sink, online, settings.pacedRate(), settings.pacedSeconds());
            }
        }
    }

    private FleetSettings fleet(Target target, int first, int count) {
        return new FleetSettings(null, target.deviceServers(), target.app(), target.secret(), settings.devicePrefix(), first,
                count, 0, settings.inFlight(), SourceAddresses.parse(settings.sourceAddresses()), settings.eventLoops(),
                settings.connectTimeout(), TOKEN_TTL);
    }

    private static TargetFigures.Connects connects(ConnectOutcome o) {
        double seconds = Math.max(0, (o.finishedMicros() - o.startedMicros()) / 1e6);
        return new TargetFigures.Connects(o.attempted(), o.connected(), o.failed(), o.failures(), Figures.round(seconds, 3),
                Figures.round(seconds > 0 ? o.connected() / seconds : 0, 1), LatencySummary.of(o.handshakeMicros()));
    }

    private TargetFigures.IdleMemory idleMemory(Target target, Long before, int connections) throws InterruptedException {
        Thread.sleep(settings.settle().toMillis()); // let the server finish what the connects started before reading
        Long after = target.rssBytes();
        Double per = before == null || after == null || connections == 0 ? null
                : Figures.round((after - before) / (double) connections, 1);
        say(target, "idle memory at " + connections + " connections: "
                + (per == null ? "RSS not readable" : "RSS " + Figures.bytes(before) + " -> " + Figures.bytes(after) + " = "
                + Figures.bytes(per) + "/connection"));
        return new TargetFigures.IdleMemory(connections, before, after, per);
    }

    private TargetFigures.Broadcasts broadcasts(Target target, MessageSender sender, PhaseSink sink, int devices)
            throws InterruptedException {
        ReceiveLog log = sink.begin();
        // one warm-up broadcast, awaited and not counted
        sender.broadcast(BenchPayload.encode(BenchPayload.WARMUP, log.runId(), -1, Instant.now(), settings.payloadBytes()));
        sender.drain(settings.drain());
        await(log, devices, settings.drain());
        long rejectedBefore = sender.counts().rejected();
        for (int i = 0; i < settings.broadcasts(); i++) {
            long before = log.received();
            sender.broadcast(BenchPayload.encode(BenchPayload.BROADCAST, log.runId(), i, Instant.now(), settings.payloadBytes()));
            sender.drain(settings.drain());
            await(log, before + devices, settings.drain());
        }
        ReceiveStats got = log.snapshot();
        List<Double> toLast = new ArrayList<>();
        for (MessageReceipt r : got.broadcasts()) {
            if (r.count() >= devices) {
                toLast.add(Figures.round(r.microsToLast() / 1000.0, 3));
            }
        }
        Collections.sort(toLast);
        int accepted = settings.broadcasts() - (int) (sender.counts().rejected() - rejectedBefore);
        long missing = Math.max(0, (long) accepted * devices - got.deliveries());
        TargetFigures.Broadcasts b = new TargetFigures.Broadcasts(settings.broadcasts(), accepted, devices, toLast.size(),
                missing, percentile(toLast, 50), percentile(toLast, 99), toLast);
        say(target, "broadcast one at a time: " + toLast.size() + "/" + settings.broadcasts() + " reached all " + devices
                + " devices; time to last device median " + ms(b.medianToLastMs()) + ", p99 " + ms(b.p99ToLastMs())
                + (missing > 0 ? "; " + missing + " deliveries missing" : ""));
        return b;
    }

    private TargetFigures.Burst burst(Target target, MessageSender sender, PhaseSink sink, int devices)
            throws InterruptedException {
        ReceiveLog log = sink.begin();
        long rejectedBefore = sender.counts().rejected();
        long startMicros = EpochMicros.now();
        long start = System.nanoTime();
        for (int i = 0; i < settings.bursts(); i++) {
            sender.broadcast(BenchPayload.encode(BenchPayload.BROADCAST, log.runId(), i, Instant.now(), settings.payloadBytes()));
        }
        sender.drain(settings.drain());
        long accepted = settings.bursts() - (sender.counts().rejected() - rejectedBefore);
        long expected = accepted * devices;
        await(log, expected, settings.drain());
        double seconds = (System.nanoTime() - start) / 1e9;
        ReceiveStats got = log.snapshot();
        double window = got.deliveries() > 0 ? (got.lastMicros() - startMicros) / 1e6 : 0;
        Double perSecond = window > 0 ? Figures.round(got.deliveries() / window, 1) : null;
        TargetFigures.Burst b = new TargetFigures.Burst(settings.bursts(), accepted, devices, expected, got.deliveries(),
                Math.max(0, expected - got.deliveries()), Figures.round(seconds, 3), perSecond);
        say(target, "burst of " + settings.bursts() + " broadcasts to " + devices + " devices: " + got.deliveries() + "/"
                + expected + " delivered, " + (perSecond == null ? "-" : Figures.rate(perSecond)));
        return b;
    }

    /**
     * Unicasts to {@code online} in turn for {@code seconds}: paced at {@code rate} (each message stamped with the
     * time it was due, so a sender that falls behind counts its backlog), or flat out ({@code rate} 0) with at most
     * {@code window} messages sent and not yet delivered.
     */
    private TargetFigures.Unicasts unicasts(Target target, MessageSender sender, PhaseSink sink, List<String> online,
                                            double rate, double seconds) throws InterruptedException {
        ReceiveLog log = sink.begin();
        RatePacer pacer = new RatePacer(rate);
        long acceptedBefore = sender.counts().accepted();
        long rejectedBefore = sender.counts().rejected();
        long resentBefore = sender.counts().resent();
        Long redisBefore = target.redisCommands();
        long durationNanos = (long) (seconds * 1e9);
        Instant startInstant = Instant.now();
        long startMicros = EpochMicros.of(startInstant);
        long start = System.nanoTime();
        long sent = 0;
        boolean stalled = false;
        sending:
        while (true) {
            long due = pacer.dueNanos(sent);
            long now = System.nanoTime();
            if ((pacer.unpaced() ? now - start : due) >= durationNanos) {
                break;
            }
            if (!pacer.unpaced() && start + due > now) {
                sender.idle();
                pacer.awaitTurn(sent, start);
            }
            long seen = -1;
            long seenAt = 0;
            while (sent - (sender.counts().rejected() - rejectedBefore) - log.received() >= settings.window()) {
                sender.idle();
                long received = log.received();
                if (received != seen) {
                    seen = received;
                    seenAt = System.nanoTime();
                } else if (System.nanoTime() - seenAt > IDLE.toNanos()) {
                    stalled = true;
                    break sending;
                }
                LockSupport.parkNanos(50_000);
            }
            Instant stamp;
            long lagNanos = 0;
            if (pacer.unpaced()) {
                stamp = Instant.now();
            } else {
                lagNanos = Math.max(0, System.nanoTime() - start - due);
                stamp = startInstant.plusNanos(due);
            }
            sender.unicast(online.get((int) (sent % online.size())), BenchPayload.encode(BenchPayload.UNICAST, log.runId(),
                    (int) sent, stamp, lagNanos / 1000, settings.payloadBytes()));
            sent++;
            if (pacer.unpaced() && (sent & 63) == 0) {
                sender.idle();
            }
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        sender.drain(settings.drain());
        long accepted = sender.counts().accepted() - acceptedBefore;
        long rejected = sender.counts().rejected() - rejectedBefore;
        await(log, sent - rejected, settings.drain());
        Long redisAfter = target.redisCommands();
        ReceiveStats got = log.snapshot();
        double window = got.deliveries() > 0 ? (got.lastMicros() - startMicros) / 1e6 : 0;
        Long redis = redisBefore == null || redisAfter == null ? null : redisAfter - redisBefore;
        TargetFigures.Unicasts u = new TargetFigures.Unicasts(rate, Figures.round(sendSeconds, 3), sent,
                Figures.round(sent / sendSeconds, 1), accepted, rejected, sender.counts().failures(), got.deliveries(),
                Math.max(0, sent - rejected - got.deliveries()), window > 0 ? Figures.round(got.deliveries() / window, 1) : null,
                LatencySummary.of(got.latencies()), redis,
                redis == null || got.deliveries() == 0 ? null : Figures.round(redis / (double) got.deliveries(), 2), stalled);
        say(target, "unicast " + (rate > 0 ? "paced at " + Figures.rate(rate) : "flat out") + ": " + sent + " sent ("
                + Figures.rate(u.achievedRate()) + "), " + got.deliveries() + " delivered ("
                + (u.deliveredPerSecond() == null ? "-" : Figures.rate(u.deliveredPerSecond())) + "), " + u.missing()
                + " missing" + (rejected > 0 ? ", " + rejected + " rejected " + u.failures() : "")
                + (sender.counts().resent() > resentBefore ? ", " + (sender.counts().resent() - resentBefore)
                + " refused for now (503) and sent again" : "") + "; end-to-end "
                + u.endToEnd().oneLine() + (redis == null ? "" : "; Redis " + redis + " commands = "
                + u.redisCommandsPerDelivery() + " per delivery") + (stalled ? "; STALLED (nothing delivered for 5 s)" : ""));
        return u;
    }

    /** Waits until {@code log} has {@code target} messages, none came for 5 s, or {@code timeout} passed. */
    private static long await(ReceiveLog log, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = log.received();
        long lastChange = System.nanoTime();
        while (last < target) {
            long now = System.nanoTime();
            if (now >= deadline || now - lastChange >= IDLE.toNanos()) {
                break;
            }
            Thread.sleep(2); // polling counters the event loops update; the receipt times themselves are exact
            long current = log.received();
            if (current != last) {
                last = current;
                lastChange = System.nanoTime();
            }
        }
        return last;
    }

    /** Nearest-rank percentile of sorted values; {@code null} when there are none. */
    static Double percentile(List<Double> sorted, double percentile) {
        if (sorted.isEmpty()) {
            return null;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String ms(Double millis) {
        return millis == null ? "-" : Figures.ms(millis);
    }

    private void say(Target target, String line) {
        out.println("[" + target.name() + "] " + line);
        out.flush();
    }
}
