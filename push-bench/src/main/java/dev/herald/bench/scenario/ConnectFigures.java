package dev.herald.bench.scenario;

import dev.herald.bench.report.Figures;
import dev.herald.bench.report.LatencySummary;
import dev.herald.bench.worker.ConnectStats;
import java.util.Map;

/** The connect phase of every scenario. */
public record ConnectFigures(int devices, int connected, int failed, Map<String, Integer> failures, double seconds,
                             double connectsPerSecond, LatencySummary handshake, long tlsResumed) {

    static ConnectFigures of(ConnectStats stats) {
        double seconds = stats.seconds();
        return new ConnectFigures(stats.attempted(), stats.connected(), stats.failed(), stats.failures(),
                Figures.round(seconds, 3), Figures.round(seconds > 0 ? stats.connected() / seconds : 0, 1),
                LatencySummary.of(stats.handshakes()), stats.tlsResumed());
    }

    String summary() {
        return connected + "/" + devices + " devices connected in " + Figures.seconds(seconds) + " ("
                + Figures.rate(connectsPerSecond) + "), " + failed + " failed" + (failures.isEmpty() ? "" : " " + failures)
                + "; handshake p50 " + Figures.ms(handshake.p50Ms()) + ", p99 " + Figures.ms(handshake.p99Ms())
                + ", max " + Figures.ms(handshake.maxMs())
                + (tlsResumed > 0 ? "; " + tlsResumed + " TLS sessions resumed" : "");
    }
}
