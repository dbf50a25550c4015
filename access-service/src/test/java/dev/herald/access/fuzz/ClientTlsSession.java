package dev.herald.access.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The client end of one TLS session of a {@link FuzzedConnection}: a JDK {@link SSLEngine} in client mode that
 * turns the fuzzed bytes into TLS records, and the records the server wrote back into what the server's
 * protocol handlers wrote. The connection drives the handshake (it carries the flights both ways). Heap
 * buffers only: the node's counting allocator sees the server's buffers and nothing of the client's.
 */
final class ClientTlsSession {

    private final SSLEngine engine;
    /** Server bytes not yet unwrapped (a partial record), in read mode. */
    private ByteBuffer pending = ByteBuffer.allocate(0);

    private ClientTlsSession(SSLEngine engine) {
        this.engine = engine;
    }

    static ClientTlsSession start(SSLContext context) {
        SSLEngine engine = context.createSSLEngine("localhost", 443);
        engine.setUseClientMode(true);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            throw new IllegalStateException(e);
        }
        return new ClientTlsSession(engine);
    }

    boolean handshaking() {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status != SSLEngineResult.HandshakeStatus.FINISHED && status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    /** Whether the client has a handshake flight to send ({@link #wrap} of nothing gives it). */
    boolean hasFlightToSend() {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
    }

    /** Whether server bytes wait to be unwrapped (the client had a flight to send first). */
    boolean hasPendingRecords() {
        return pending.hasRemaining();
    }

    /** The TLS records that carry {@code plaintext} (empty once the client's side is closed). */
    byte[] wrap(byte[] plaintext) {
        ByteBuffer in = ByteBuffer.wrap(plaintext);
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            while (in.hasRemaining() || hasFlightToSend()) {
                net.clear();
                SSLEngineResult result = engine.wrap(in, net);
                runTasks();
                out.write(net.array(), 0, net.position());
                if (result.getStatus() == SSLEngineResult.Status.CLOSED
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (SSLException e) {
            throw new IllegalStateException("client TLS engine: " + e, e);
        }
        return out.toByteArray();
    }

    /**
     * Takes bytes the server wrote and returns the application bytes of the records they complete; handshake
     * messages, session tickets and alerts are consumed. Stops early when the client has a flight to send.
     */
    byte[] unwrap(byte[] network) {
        ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + network.length);
        joined.put(pending).put(network).flip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        try {
            while (joined.hasRemaining() && !engine.isInboundDone()) {
                app.clear();
                SSLEngineResult result = engine.unwrap(joined, app);
                runTasks();
                out.write(app.array(), 0, app.position());
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    app = ByteBuffer.allocate(app.capacity() * 2);
                } else if (result.getStatus() != SSLEngineResult.Status.OK
                        || result.bytesConsumed() == 0 && result.bytesProduced() == 0 || hasFlightToSend()) {
                    break; // a partial record, the server's close_notify, or the client's turn in the handshake
                }
            }
        } catch (SSLException e) {
            throw new IllegalStateException("the server's TLS records do not decrypt: " + e, e);
        }
        pending = joined;
        return out.toByteArray();
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
            task.run();
        }
    }
}
