package dev.herald.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Herald service run as a real OS process from its executable jar ({@code <module>/target/*-exec.jar}),
 * the same artifact the deploy scripts run, on a free HTTP port and a free management port (actuator:
 * health, metrics, pools, profiles). Ready when {@code /actuator/health} on the management port answers
 * 200. Its ops node id is its name; scheduled JFR snapshots are off (on demand only, kept under
 * {@code target/profiles}). Supports a graceful stop (SIGTERM), {@link #kill()} (SIGKILL) and restart
 * with the same arguments and ports.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final String name;
    private final Path jar;
    private final int httpPort;
    private final int managementPort;
    private final List<String> args;
    private final Path logFile;
    private Process process;

    private ServiceProcess(String name, Path jar, int httpPort, int managementPort, List<String> args, Path logFile) {
        this.name = name;
        this.jar = jar;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.args = List.copyOf(args);
        this.logFile = logFile;
    }

    /**
     * Launches the module's exec jar with {@code --server.port=httpPort}, a free management port and the
     * given Spring arguments (which come last, so they win); call {@link #awaitReady(Duration)} before use.
     * Its output goes to {@code <name>.log} in {@code target/service-logs}, or in the directory the system
     * property {@code herald.service-logs} names (a second suite in the same build keeps its own logs).
     */
    public static ServiceProcess launch(String name, String module, int httpPort, List<String> springArgs) {
        Path jar = execJar(module);
        Path logDir = Path.of(System.getProperty("herald.service-logs", "target/service-logs"));
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServiceProcess p = new ServiceProcess(name, jar, httpPort, RedisServer.freePort(), springArgs,
                logDir.resolve(name + ".log"));
        p.startProcess();
        return p;
    }

    /** Finds {@code <repo>/<module>/target/<module>-*-exec.jar}, from the repo root or a module directory. */
    public static Path execJar(String module) {
        for (Path root : List.of(Path.of("").toAbsolutePath(), Path.of("").toAbsolutePath().getParent())) {
            if (root == null) {
                continue;
            }
            File target = root.resolve(module).resolve("target").toFile();
            File[] jars = target.listFiles((d, n) -> n.startsWith(module + "-") && n.endsWith("-exec.jar"));
            if (jars != null && jars.length > 0) {
                return jars[0].toPath();
            }
        }
        throw new IllegalStateException("no executable jar of " + module + ": build it first with `mvn package`");
    }

    private void startProcess() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Xms64m", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dio.netty.leakDetection.level=paranoid",
                "-jar", jar.toString(),
                "--server.port=" + httpPort,
                "--management.server.port=" + managementPort,
                "--herald.ops.node=" + name,
                "--herald.ops.advertised-host=127.0.0.1",
                "--herald.ops.profiling.interval=0s",
                "--herald.ops.profiling.directory=" + Path.of("target", "profiles").toAbsolutePath(),
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                "--spring.main.banner-mode=off"));
        cmd.addAll(args);
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot launch " + name, e);
        }
        log.info("launched {} (pid {}) on http port {}, management port {}; log {}", name, process.pid(), httpPort,
                managementPort, logFile.toAbsolutePath());
    }

    /** Waits until the service's health endpoint answers 200, or fails with the tail of its log. */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(healthUrl()))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            await(name + " healthy").atMost(timeout)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).pollInSameThread()
                    .dontCatchUncaughtExceptions()
                    .until(() -> healthy(request));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + logTail(), e);
        }
        return this;
    }

    /** Whether the health endpoint answers 200 now; fails at once, with the log, when the process has exited. */
    private boolean healthy(HttpRequest request) {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
        }
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListeningYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The public HTTP port: the REST API, the admin API, the saver's internal API. The actuator is not there. */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The service's health endpoint: 200 while UP, 503 while a component (Redis, say) is DOWN. */
    public String healthUrl() {
        return managementUrl() + "/actuator/health";
    }

    /** The readiness group: DOWN (503) also while ZooKeeper is unreachable, when the service uses it. */
    public String readinessUrl() {
        return healthUrl() + "/readiness";
    }

    /**
     * The HTTP status {@link #healthUrl()} answers now: 200 (UP), 503 (DOWN), or -1 when the process does not
     * answer within ten seconds (a health check waits for its Redis command to time out).
     */
    public int healthStatus() {
        return statusOf(healthUrl());
    }

    /** As {@link #healthStatus()}, for {@link #readinessUrl()}. */
    public int readinessStatus() {
        return statusOf(readinessUrl());
    }

    private static int statusOf(String url) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public int httpPort() {
        return httpPort;
    }

    /** The management port's base URL: {@code /actuator/health}, {@code /prometheus}, {@code /pools}, {@code /profiles}. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** The process id, while it runs. */
    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Graceful stop: SIGTERM, then SIGKILL after 15 s. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        waitForExit(15);
    }

    /** Abrupt death, as {@code kill -9}: no shutdown hooks run. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroyForcibly();
        waitForExit(15);
    }

    /** Starts the process again with the same arguments (after stop or kill). */
    public ServiceProcess restart(Duration readyTimeout) {
        stop();
        startProcess();
        return awaitReady(readyTimeout);
    }

    private void waitForExit(int seconds) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * The lines of this process's log that contain {@code marker}, each with the {@code after} lines that follow
     * it (a stack trace), at most {@code limit} of them: what a failed assertion shows of the service's side.
     */
    public String logExcerpts(String marker, int after, int limit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
        StringBuilder out = new StringBuilder();
        int found = 0;
        for (int i = 0; i < lines.size() && found < limit; i++) {
            if (lines.get(i).contains(marker)) {
                found++;
                lines.subList(i, Math.min(lines.size(), i + 1 + after)).forEach(l -> out.append(l).append('\n'));
            }
        }
        return found == 0 ? "(no line with '" + marker + "' in " + logFile + ")" : out.toString();
    }

    @Override
    public void close() {
        stop();
    }
}
