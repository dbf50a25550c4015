package dev.herald.api.problem;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a real Redis that can reset its clients' connections (RST, as when Redis is
 * killed with data still unread), so a test can cut push-api off in the middle of a command.
 */
final class ResettingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> clients = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesFromClients = new AtomicLong();
    private volatile boolean swallow;

    ResettingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "resetting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes clients sent so far: grows when a command leaves push-api. */
    long bytesFromClients() {
        return bytesFromClients.get();
    }

    /** While on, what clients send is counted but not passed on: their commands wait for an answer. */
    void swallow(boolean on) {
        this.swallow = on;
    }

    /** Resets every client connection: the client reads "connection reset by peer". */
    void resetClients() {
        for (Socket client : clients) {
            try {
                client.setSoLinger(true, 0);
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        clients.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                clients.add(client);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean count) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (count) {
                        bytesFromClients.addAndGet(n);
                        if (swallow) {
                            continue;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // one side closed or was reset
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "resetting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        resetClients();
    }
}
