package dev.herald.access.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The meters of the device port before a protocol runs (docs/operations.md has the node's whole taxonomy):
 * {@code herald.access.sockets}: TCP connections open, handshake done or not; {@code herald.access.connections.blocked}:
 * closed at accept time, blacklisted address; {@code herald.access.connections.throttled}: reset at accept time, over
 * the per-address connection rate; {@code herald.access.tls.handshakes{result=ok|failed}}: TLS handshakes on the
 * device port; {@code herald.access.connections.opened{protocol}}: connections whose first bytes named the protocol.
 * Connections closed before a protocol was established count in
 * {@link dev.herald.access.session.ConnectionMeters#rejected}, which every transport shares.
 */
@Component
public final class AcceptMeters {

    private final MeterRegistry registry;
    private final Counter blockedConnections;
    private final Counter throttledConnections;
    private final Counter tlsHandshakesOk;
    private final Counter tlsHandshakesFailed;

    public AcceptMeters(MeterRegistry registry) {
        this.registry = registry;
        this.blockedConnections = Counter.builder("herald.access.connections.blocked")
                .description("Connections closed at accept time because the client address is blacklisted")
                .register(registry);
        this.throttledConnections = Counter.builder("herald.access.connections.throttled")
                .description("Connections reset at accept time because their address opened more than its "
                        + "connection rate")
                .register(registry);
        this.tlsHandshakesOk = tlsHandshakes("ok");
        this.tlsHandshakesFailed = tlsHandshakes("failed");
    }

    private Counter tlsHandshakes(String result) {
        return Counter.builder("herald.access.tls.handshakes")
                .description("TLS handshakes on the device port, by result")
                .tag("result", result)
                .register(registry);
    }

    /** Registers the gauge of TCP connections open now, handshake done or not (held strongly by the caller). */
    public void openSockets(AtomicInteger open) {
        Gauge.builder("herald.access.sockets", open, AtomicInteger::get)
                .description("TCP connections open, including those still in their handshake")
                .register(registry);
    }

    public void throttledConnection() {
        throttledConnections.increment();
    }

    public void blockedConnection() {
        blockedConnections.increment();
    }

    /** A TLS handshake on the device port ended: {@code herald.access.tls.handshakes{result=ok|failed}}. */
    public void tlsHandshake(boolean ok) {
        (ok ? tlsHandshakesOk : tlsHandshakesFailed).increment();
    }

    /** A connection whose first bytes were recognised as {@code protocol}. */
    public void protocol(String protocol) {
        Counter.builder("herald.access.connections.opened")
                .description("Connections by the protocol detected from their first bytes")
                .tag("protocol", protocol)
                .register(registry)
                .increment();
    }
}
