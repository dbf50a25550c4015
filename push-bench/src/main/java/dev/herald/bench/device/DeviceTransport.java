package dev.herald.bench.device;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A way for simulated devices to reach an access node: the native protocol over TCP or WebSocket, or
 * MQTT 3.1.1 (see {@link Protocol}). A transport is shared by all
 * devices of a fleet and holds no per-device state itself.
 */
public interface DeviceTransport {

    /**
     * Opens a connection for {@code login} and logs the device in.
     *
     * @param local the local address to bind (to spread connections over several source addresses),
     *        or {@code null} to let the system choose
     * @return completes with the connection once the server accepted the login, or exceptionally with
     *         a {@link DeviceRefusedException} (refused, timed out, closed) or the connect failure
     */
    CompletableFuture<DeviceConnection> connect(DeviceLogin login, InetSocketAddress server, InetSocketAddress local,
                                                DeliverySink sink);

    /** TLS handshakes so far that resumed an earlier session (0 for plaintext, or when the provider does not tell). */
    default long tlsSessionsResumed() {
        return 0;
    }

    /** Makes the transport of a fleet on the fleet's event loops. */
    @FunctionalInterface
    interface Factory {
        DeviceTransport create(EventLoops loops, Duration connectTimeout);
    }
}
