package dev.herald.bench.device;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * How a fleet's ramp went.
 *
 * @param startedMicros epoch micros of the first connect attempt
 * @param finishedMicros epoch micros when the last attempt completed
 * @param failures failed attempts by reason (an error code, or the kind of network failure)
 * @param handshakeMicros time from TCP connect to CONNACK of each successful device, microseconds
 * @param tlsResumed TLS handshakes that resumed an earlier session (counted with the OpenSSL provider only)
 */
public record ConnectOutcome(int attempted, int connected, int failed, Map<String, Integer> failures,
                             long startedMicros, long finishedMicros, Histogram handshakeMicros, long tlsResumed) {

    public ConnectOutcome {
        failures = Map.copyOf(failures);
    }
}
