package dev.herald.access.session;

import dev.herald.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The meters of device connections that every transport shares (docs/operations.md has the node's whole
 * taxonomy; each package registers its own):
 * <ul>
 *   <li>{@code herald.access.connections{protocol}}: open connections past their handshake, by protocol
 *       (native, websocket, mqtt);</li>
 *   <li>{@code herald.access.handshakes{result}}: CONNECTs answered, ok or the refusal's error code;
 *       {@code herald.access.heartbeat.timeouts};</li>
 *   <li>{@code herald.access.connections.rejected{reason}}: closed quietly before a protocol was established
 *       (garbage, oversized, truncated, timeout, http-path, http-method, http-malformed, mqtt-malformed,
 *       mqtt-oversized, tls-required, tls-handshake, tls-timeout).</li>
 * </ul>
 */
@Component
public final class ConnectionMeters {

    private static final List<String> PROTOCOLS = List.of("native", "websocket", "mqtt");

    private final MeterRegistry registry;
    private final Map<ErrorCode, Counter> handshakes = new EnumMap<>(ErrorCode.class);
    private final Counter heartbeatTimeouts;

    public ConnectionMeters(MeterRegistry registry, SessionRegistry sessions) {
        this.registry = registry;
        for (String protocol : PROTOCOLS) {
            Gauge.builder("herald.access.connections", sessions, s -> s.connectionCount(protocol))
                    .description("Open connections that completed their handshake, by protocol")
                    .tag("protocol", protocol)
                    .register(registry);
        }
        for (ErrorCode code : ErrorCode.values()) {
            handshakes.put(code, Counter.builder("herald.access.handshakes")
                    .description("CONNECT frames answered, by result")
                    .tag("result", code.name().toLowerCase(Locale.ROOT))
                    .register(registry));
        }
        this.heartbeatTimeouts = Counter.builder("herald.access.heartbeat.timeouts")
                .description("Connections closed because their heartbeat stopped")
                .register(registry);
    }

    public void handshake(ErrorCode result) {
        handshakes.get(result).increment();
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    /** A connection closed quietly, before or during protocol set-up, for {@code reason}. */
    public void rejected(String reason) {
        Counter.builder("herald.access.connections.rejected")
                .description("Connections closed quietly before a protocol was established, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
