package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.fuzz.DecoderBuffers;
import dev.herald.protocol.fuzz.FuzzReport;
import dev.herald.protocol.fuzz.Mutations;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a {@link FuzzedNode}: an embedded channel carrying the production pipeline,
 * with a client address (as a socket has), the node's counting allocator and a frozen clock that only
 * {@link #runDeadlines()} moves. Reads are written in; after each, nothing may have reached the end of
 * the pipeline (an exception, or a message no handler took), everything the server wrote must be bytes
 * (all a socket can carry), each decoder keeps no more than its limit allows ({@link FuzzedNode#heldLimit}),
 * and the buffers the connection holds are sampled for the report.
 *
 * <p>Over TLS (a {@link ClientTlsSession} given), the connection first completes a TLS handshake with the node;
 * then every read is the fuzzed bytes wrapped in TLS records (split again into reads at random), and what the
 * server wrote is decrypted before anyone looks at it.
 */
final class FuzzedConnection {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 40_000);

    private final FuzzedNode node;
    private final EmbeddedChannel channel;
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private final Map<String, Double> rejectedBefore;
    private final Map<String, Double> detectedBefore;
    private final double heartbeatTimeoutsBefore;
    private final ClientTlsSession tls;
    private boolean peerClosed;

    /** {@code tls}: the client end of a TLS session the connection starts with; {@code null}: plaintext. */
    FuzzedConnection(FuzzedNode node, ChannelHandler initializer, ClientTlsSession tls) {
        this.node = node;
        this.tls = tls;
        this.rejectedBefore = node.rejected();
        this.detectedBefore = node.detected();
        node.closeReasons.reset();
        this.heartbeatTimeoutsBefore = node.heartbeatTimeouts();
        this.channel = new ClientChannel(initializer);
        channel.config().setAllocator(node.buffers.allocator());
        channel.freezeTime();
        drain();
        if (tls != null) {
            handshake();
        }
    }

    /** Sends the client's flights and reads the server's until the handshake is done; fails if it does not end. */
    private void handshake() {
        for (int round = 0; round < 16 && tls.handshaking() && channel.isOpen(); round++) {
            if (tls.hasFlightToSend()) {
                byte[] flight = tls.wrap(new byte[0]);
                channel.writeInbound(node.buffers.read(flight, 0, flight.length));
                drain();
            } else if (tls.hasPendingRecords()) {
                fromServer.writeBytes(tls.unwrap(new byte[0])); // the rest of the server's flight
            } else {
                break; // waiting for the server, which has nothing more to say
            }
        }
        assertThat(tls.handshaking()).as("the TLS handshake with the node finished").isFalse();
        assertThat(channel.isOpen()).as("open after the TLS handshake").isTrue();
    }

    /** Writes {@code stream} in reads split at random, as long as the server keeps the connection open. */
    void feed(byte[] stream, SplittableRandom random, FuzzReport report) {
        report.fed(stream.length);
        int offset = 0;
        for (int read : Mutations.reads(random, stream.length, FuzzedNode.MAX_READ)) {
            if (tls == null) {
                socketRead(stream, offset, read, report);
            } else {
                byte[] records = tls.wrap(java.util.Arrays.copyOfRange(stream, offset, offset + read));
                int recordOffset = 0;
                for (int part : Mutations.reads(random, records.length, FuzzedNode.MAX_READ)) {
                    socketRead(records, recordOffset, part, report);
                    recordOffset += part;
                }
            }
            offset += read;
        }
    }

    /** One read of the socket, as long as the server keeps the connection open; checks what it left held. */
    private void socketRead(byte[] bytes, int offset, int length, FuzzReport report) {
        if (!channel.isOpen()) {
            return; // a closed socket reads nothing more
        }
        channel.writeInbound(node.buffers.read(bytes, offset, length));
        drain();
        report.connectionBytes(node.buffers.live());
        DecoderBuffers.held(channel.pipeline()).forEach((handler, held) -> {
            assertThat(held).as("bytes %s keeps between reads", handler).isLessThanOrEqualTo(FuzzedNode.heldLimit(handler));
            report.decoderBytes(held);
        });
    }

    /** Writes {@code bytes} as one read. */
    void read(byte[] bytes) {
        byte[] onTheWire = tls == null ? bytes : tls.wrap(bytes);
        channel.writeInbound(node.buffers.read(onTheWire, 0, onTheWire.length));
        drain();
    }

    /** Runs what the event loop has queued (pushes, answers) and collects what the server wrote. */
    void runPendingTasks() {
        drain();
    }

    /**
     * Lets the handshake deadline pass, then two days (every heartbeat and MQTT keep-alive), running the
     * event loop's scheduled tasks (the deadline sweep, the WebSocket handshake timeout) after each.
     */
    void runDeadlines() {
        if (channel.isOpen()) {
            channel.advanceTimeBy(node.properties.handshakeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            drain();
        }
        if (channel.isOpen()) {
            channel.advanceTimeBy(2, TimeUnit.DAYS);
            channel.runScheduledPendingTasks();
            drain();
        }
    }

    /** The client goes away. */
    void peerCloses() {
        if (channel.isOpen()) {
            peerClosed = true;
            channel.close();
            drain();
        }
    }

    boolean open() {
        return channel.isOpen();
    }

    boolean peerClosed() {
        return peerClosed;
    }

    /** Everything the server wrote, in order. */
    byte[] fromServer() {
        return fromServer.toByteArray();
    }

    /** The reasons the node counted for closing this connection quietly ({@code connections.rejected}). */
    Map<String, Double> rejected() {
        return delta(rejectedBefore, node.rejected());
    }

    /** The protocol the node recognised from the first bytes ({@code native}, {@code websocket}, {@code mqtt}), or {@code null}. */
    String detected() {
        Map<String, Double> delta = delta(detectedBefore, node.detected());
        assertThat(delta.size()).as("protocols detected").isLessThanOrEqualTo(1);
        return delta.isEmpty() ? null : delta.keySet().iterator().next();
    }

    /** Why the closing handler said it closed, where the protocol has no way to tell the client. */
    String loggedCloseReason() {
        return node.closeReasons.first();
    }

    private static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((key, count) -> {
            double added = count - before.getOrDefault(key, 0.0);
            if (added > 0) {
                delta.put(key, added);
            }
        });
        return delta;
    }

    boolean heartbeatTimedOut() {
        return node.heartbeatTimeouts() > heartbeatTimeoutsBefore;
    }

    /**
     * Closes what is left (as the client going away would) and checks that the connection left nothing
     * behind: no buffer held, no session registered.
     */
    void finish() {
        peerCloses();
        assertThat(channel.finishAndReleaseAll()).as("messages left in the channel").isFalse();
        assertThat(node.buffers.live()).as("buffer bytes still held after the connection closed").isZero();
        assertThat(node.registry.connectionCount()).as("sessions still registered").isZero();
    }

    private void drain() {
        channel.runPendingTasks();
        channel.checkException();
        Object unread = channel.readInbound();
        assertThat(unread).as("a message no handler took reached the end of the pipeline").isNull();
        ByteArrayOutputStream written = tls == null ? fromServer : new ByteArrayOutputStream();
        for (Object out; (out = channel.readOutbound()) != null; ) {
            try {
                assertThat(out).as("written to the socket: %s", out.getClass().getName()).isInstanceOf(ByteBuf.class);
                ByteBuf bytes = (ByteBuf) out;
                bytes.readBytes(written, bytes.readableBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ReferenceCountUtil.release(out);
            }
        }
        if (tls != null && written.size() > 0) {
            fromServer.writeBytes(tls.unwrap(written.toByteArray()));
        }
    }

    /** An embedded channel with a client address, which the blocked-address filter needs. */
    private static final class ClientChannel extends EmbeddedChannel {

        ClientChannel(ChannelHandler initializer) {
            super(initializer);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return CLIENT;
        }
    }
}
