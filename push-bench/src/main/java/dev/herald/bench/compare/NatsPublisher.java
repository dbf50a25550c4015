package dev.herald.bench.compare;

import dev.herald.bench.device.PeerDevices;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * One NATS publisher connection (the official Java client, jnats): {@code PUB dev.<device>} for unicasts and
 * {@code PUB all} for broadcasts. jnats queues publishes and writes them from its own thread; a publish that
 * finds the queue full past its offer timeout is counted as rejected. Core NATS has no acknowledgement, so
 * a publish counts as accepted once queued; {@link #drain} is a PING/PONG round trip (the server has then
 * processed everything sent before).
 */
final class NatsPublisher implements MessageSender {

    private final Connection connection;
    private final SendCounts counts = new SendCounts();

    private NatsPublisher(Connection connection) {
        this.connection = connection;
    }

    static NatsPublisher connect(InetSocketAddress server, int maxQueued) throws IOException, InterruptedException {
        Options options = new Options.Builder()
                .server("nats://" + server.getHostString() + ":" + server.getPort())
                .connectionName("push-bench-publisher")
                .connectionTimeout(Duration.ofSeconds(10))
                .maxMessagesInOutgoingQueue(maxQueued)
                .noReconnect()
                .build();
        return new NatsPublisher(Nats.connect(options));
    }

    @Override
    public void broadcast(byte[] payload) {
        publish(PeerDevices.natsBroadcastSubject(), payload);
    }

    @Override
    public void unicast(String deviceId, byte[] payload) {
        publish(PeerDevices.natsDeviceSubject(deviceId), payload);
    }

    private void publish(String subject, byte[] payload) {
        try {
            connection.publish(subject, payload);
            counts.accepted(1);
        } catch (IllegalStateException e) {
            counts.rejected(1, e.getMessage() != null && e.getMessage().startsWith("Output queue") ? "OUTPUT_QUEUE_FULL"
                    : "CONNECTION_CLOSED");
        }
    }

    @Override
    public void idle() {
        // jnats writes from its own thread as soon as something is queued
    }

    @Override
    public void drain(Duration timeout) throws InterruptedException {
        try {
            connection.flush(timeout);
        } catch (TimeoutException | IllegalStateException e) {
            // the deliveries are awaited next; a slow flush only means they come later
        }
    }

    @Override
    public SendCounts counts() {
        return counts;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
