package dev.herald.bench.scenario;

import dev.herald.bench.report.Phase;
import dev.herald.bench.worker.ConnectStats;
import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.WorkerReady;
import dev.herald.bench.worker.WorkerResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scenario works with: its settings, the run id its messages carry, the workers holding its
 * devices, and the phases recorded so far (each printed as one line when it ends).
 */
public final class RunContext {

    private static final Duration POLL = Duration.ofMillis(20);

    private final ScenarioSpec spec;
    private final int runId;
    private final DeviceWorkers workers;
    private final PrintStream out;
    private final List<Phase> phases = new ArrayList<>();
    private final List<WorkerResult> results = new ArrayList<>();

    RunContext(ScenarioSpec spec, int runId, DeviceWorkers workers, PrintStream out) {
        this.spec = spec;
        this.runId = runId;
        this.workers = workers;
        this.out = out;
    }

    public ScenarioSpec spec() {
        return spec;
    }

    public int runId() {
        return runId;
    }

    /** Connects every device, records the {@code connect} phase, returns the merged outcome. */
    public ConnectStats connect() throws InterruptedException {
        DeviceSpec devices = spec.devices();
        List<WorkerReady> ready = workers.start(runId, devices, rampTimeout(devices));
        List<ConnectStats> parts = new ArrayList<>();
        for (WorkerReady r : ready) {
            parts.add(r.connect());
        }
        ConnectStats merged = ConnectStats.merge(parts);
        ConnectFigures figures = ConnectFigures.of(merged);
        phase(new Phase("connect", figures.seconds(), figures.summary(), figures));
        return merged;
    }

    /** Generous: the paced ramp's length (or 10 ms a device unpaced) plus two minutes. */
    static Duration rampTimeout(DeviceSpec devices) {
        double perDeviceMillis = devices.connectRate() > 0 ? 1000 / devices.connectRate() : 10;
        return Duration.ofSeconds(120).plusMillis((long) (devices.devices() * perDeviceMillis));
    }

    public List<WorkerResult> finish() throws InterruptedException {
        List<WorkerResult> finished = workers.finish(Duration.ofMinutes(2));
        results.addAll(finished);
        return finished;
    }

    public long received() {
        return workers.received();
    }

    /**
     * Waits until the workers have received {@code target} messages of this run, no more arrived for
     * {@code idle}, or {@code timeout} passed; returns how many arrived.
     */
    public long awaitReceived(long target, Duration timeout, Duration idle) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = received();
        long lastChange = System.nanoTime();
        while (last < target) {
            long now = System.nanoTime();
            if (now >= deadline || now - lastChange >= idle.toNanos()) {
                break;
            }
            Thread.sleep(POLL.toMillis()); // polling remote counters; there is nothing to wait on
            long current = received();
            if (current != last) {
                last = current;
                lastChange = System.nanoTime();
            }
        }
        return last;
    }

    public void phase(Phase phase) {
        phases.add(phase);
        out.println(phase.line());
        out.flush();
    }

    List<Phase> phases() {
        return phases;
    }

    List<WorkerResult> results() {
        return results;
    }
}
