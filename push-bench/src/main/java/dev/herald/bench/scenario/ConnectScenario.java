package dev.herald.bench.scenario;

import dev.herald.bench.report.Figures;
import dev.herald.bench.report.Phase;
import dev.herald.bench.worker.ConnectStats;
import dev.herald.bench.worker.ReceiveStats;
import dev.herald.bench.worker.WorkerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ramp to N connections at a rate, read the access node's memory, hold them, and report how many
 * stayed: connect rate, failures, handshake latency, memory per connection.
 */
final class ConnectScenario implements Scenario {

    /** What happened while the connections were held. */
    record HoldFigures(double seconds, int connected, int openAtEnd, int disconnects, Map<String, Integer> disconnectReasons) {
    }

    @Override
    public void run(RunContext run) throws InterruptedException {
        ScenarioSpec spec = run.spec();
        NodeProbe probe = spec.node().measured() ? new NodeProbe(spec.node()) : null;
        NodeProbe.Reading before = probe == null ? null : probe.read();
        ConnectStats connected = run.connect();
        if (probe != null) {
            NodeMemory memory = NodeMemory.of(before, probe.read(), connected.connected());
            run.phase(new Phase("node-memory", 0, memory.summary(), memory));
        }
        long holdStart = System.nanoTime();
        Thread.sleep((long) (spec.holdSeconds() * 1000)); // holding the connections is the point of this phase
        List<WorkerResult> results = run.finish();
        double held = (System.nanoTime() - holdStart) / 1e9;
        int open = 0;
        List<ReceiveStats> receives = new ArrayList<>();
        for (WorkerResult r : results) {
            open += r.openAtEnd();
            receives.add(r.receive());
        }
        ReceiveStats received = ReceiveStats.merge(receives);
        HoldFigures hold = new HoldFigures(Figures.round(held, 3), connected.connected(), open,
                received.disconnectCount(), received.disconnects());
        run.phase(new Phase("hold", hold.seconds(), "held " + Figures.seconds(held) + ": " + open + " of "
                + connected.connected() + " connections still open, " + hold.disconnects() + " dropped"
                + (hold.disconnectReasons().isEmpty() ? "" : " " + hold.disconnectReasons()), hold));
    }
}
