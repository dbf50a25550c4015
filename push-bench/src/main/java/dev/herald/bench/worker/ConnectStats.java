package dev.herald.bench.worker;

import dev.herald.bench.device.ConnectOutcome;
import dev.herald.bench.report.HistogramCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * A ramp's outcome in a form that travels between processes (JSON): the handshake histogram is
 * encoded with {@link HistogramCodec}.
 */
public record ConnectStats(int attempted, int connected, int failed, Map<String, Integer> failures,
                           long startedMicros, long finishedMicros, String handshakeHistogram, long tlsResumed) {

    public ConnectStats {
        failures = failures == null ? Map.of() : new TreeMap<>(failures);
    }

    public static ConnectStats of(ConnectOutcome outcome) {
        return new ConnectStats(outcome.attempted(), outcome.connected(), outcome.failed(), outcome.failures(),
                outcome.startedMicros(), outcome.finishedMicros(), HistogramCodec.encode(outcome.handshakeMicros()),
                outcome.tlsResumed());
    }

    public static ConnectStats none() {
        return new ConnectStats(0, 0, 0, Map.of(), 0, 0, "", 0);
    }

    public Histogram handshakes() {
        return HistogramCodec.decode(handshakeHistogram);
    }

    /** Seconds from the first attempt to the last completion. */
    public double seconds() {
        return finishedMicros <= startedMicros ? 0 : (finishedMicros - startedMicros) / 1e6;
    }

    /** Sums counts, merges histograms and failure counts, spans the earliest start to the latest finish. */
    public static ConnectStats merge(List<ConnectStats> parts) {
        int attempted = 0;
        int connected = 0;
        int failed = 0;
        long started = Long.MAX_VALUE;
        long finished = 0;
        long resumed = 0;
        Map<String, Integer> failures = new TreeMap<>();
        List<Histogram> histograms = new ArrayList<>();
        for (ConnectStats p : parts) {
            attempted += p.attempted;
            connected += p.connected;
            failed += p.failed;
            resumed += p.tlsResumed;
            if (p.attempted > 0) {
                started = Math.min(started, p.startedMicros);
                finished = Math.max(finished, p.finishedMicros);
            }
            p.failures.forEach((k, v) -> failures.merge(k, v, Integer::sum));
            histograms.add(p.handshakes());
        }
        return new ConnectStats(attempted, connected, failed, failures, started == Long.MAX_VALUE ? 0 : started,
                finished, HistogramCodec.encode(HistogramCodec.merge(histograms)), resumed);
    }
}
