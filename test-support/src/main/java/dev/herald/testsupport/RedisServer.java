package dev.herald.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} process on a free loopback port, for tests. Uses the local binary
 * (Debian package {@code redis-server}); {@link RedisExtension} falls back to a Testcontainers
 * container only when no binary exists and a Docker engine does.
 *
 * <p>The server can be stopped, killed ({@code kill -9}) and started again on the same port and data
 * directory, so that fault tests see exactly what its {@link Persistence} kept.
 */
public final class RedisServer implements AutoCloseable {

    /** What the server writes to its data directory. */
    public enum Persistence {
        /** Nothing: a restart starts empty. */
        NONE(List.of("--appendonly", "no")),
        /** Append-only file, fsynced once a second: a crash may lose the last second of writes. */
        AOF_EVERY_SECOND(List.of("--appendonly", "yes", "--appendfsync", "everysec")),
        /**
         * Append-only file, fsynced before Redis answers a write: what Herald's docs recommend, so that a
         * message push-api answered 202 survives a crash of Redis or of its machine.
         */
        AOF_ALWAYS(List.of("--appendonly", "yes", "--appendfsync", "always"));

        private final List<String> options;

        Persistence(List<String> options) {
            this.options = options;
        }
    }

    private final int port;
    private final Path dir;
    private final Persistence persistence;
    private final List<String> extraOptions;
    private Process process;

    private RedisServer(int port, Path dir, Persistence persistence, List<String> extraOptions) {
        this.port = port;
        this.dir = dir;
        this.persistence = persistence;
        this.extraOptions = List.copyOf(extraOptions);
    }

    /** Starts a server without persistence on a free port. */
    public static RedisServer start() {
        return start(Persistence.NONE);
    }

    /** Starts a server on a free port; with {@code appendOnly} it fsyncs every write to its own directory. */
    public static RedisServer start(boolean appendOnly) {
        return start(appendOnly ? Persistence.AOF_ALWAYS : Persistence.NONE);
    }

    /** Starts a server on a free port with its own data directory. */
    public static RedisServer start(Persistence persistence) {
        return start(freePort(), persistence, List.of());
    }

    /** Starts a server on {@code port} with its own data directory and further command-line options (a cluster node's). */
    static RedisServer start(int port, Persistence persistence, List<String> extraOptions) {
        try {
            RedisServer server = new RedisServer(port, Files.createTempDirectory("herald-redis"), persistence, extraOptions);
            server.startProcess();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
    }

    public static boolean binaryAvailable() {
        return binary() != null;
    }

    private static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        return null;
    }

    private void startProcess() throws IOException {
        String bin = binary();
        if (bin == null) {
            throw new IllegalStateException("redis-server not found: install it with `apt-get install -y redis-server`");
        }
        List<String> cmd = new ArrayList<>(List.of(bin,
                "--port", String.valueOf(port),
                "--bind", "127.0.0.1",
                "--dir", dir.toString(),
                "--save", "",
                "--daemonize", "no",
                "--protected-mode", "yes",
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(persistence.options);
        cmd.addAll(extraOptions);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitPing(Duration.ofSeconds(20));
    }

    /** Stops the process (SIGTERM, then SIGKILL) and starts it again on the same port and data directory. */
    public void restart() {
        stopProcess();
        startAgain();
    }

    /** Graceful stop (SIGTERM: Redis flushes its append-only file); {@link #startAgain()} brings it back. */
    public void stop() {
        stopProcess();
    }

    /**
     * Abrupt death, as {@code kill -9}: Redis gets no chance to flush or fsync anything; what survives is
     * what its {@link Persistence} had already written. {@link #startAgain()} brings it back.
     */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the stopped or killed server again on the same port and data directory; returns once it answers PING. */
    public void startAgain() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is still running");
        }
        try {
            startProcess();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server again", e);
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public Persistence persistence() {
        return persistence;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private void awaitPing(Duration timeout) {
        try {
            await("redis-server on port " + port + " answering PING").atMost(timeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).pollInSameThread()
                    .dontCatchUncaughtExceptions()
                    .until(this::answersPing);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("redis-server did not answer PING on port " + port, e);
        }
    }

    /** Whether the server answers PING now; fails at once when the process has exited. */
    private boolean answersPing() {
        if (!process.isAlive()) {
            throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            s.setSoTimeout(1000);
            s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[16];
            int n = s.getInputStream().read(buf);
            return n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
        } catch (IOException notAcceptingYet) {
            return false;
        }
    }

    private void stopProcess() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopProcess();
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: the directory is under java.io.tmpdir
        }
    }

    /** A port that was free a moment ago; the tiny race is accepted for child processes that need a fixed port. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
