package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, run for real: {@code deploy/local/herald.sh demo} starts Redis, ZooKeeper and
 * every service from their jars, connects the demo device, pushes to it with a signed request and posts to a
 * room, and the device's uplink reaches the demo app's callback (the script's uplink receiver, which verifies
 * its signature); then {@code herald.sh stop}. It runs on ports moved by {@code HERALD_PORT_OFFSET} to a range found
 * free and keeps its files in a temporary {@code HERALD_RUN_DIR}, so a suite already running on the default
 * ports is left alone. Two regressions reached main unnoticed before this test existed: a bean clash that
 * stopped the config-server starting with the script's settings, and a merge that dropped the
 * chatroom-service from the script.
 */
class LocalDemoScriptTest {

    /** Every default port of the script, HTTP ports with their management port (+1000), the uplink receiver's. */
    private static final List<Integer> DEFAULT_PORTS = List.of(6390, 2191, 7070, 7071,
            8080, 8082, 8083, 8084, 8085, 8086, 8087, 8090, 9080, 9082, 9083, 9084, 9085, 9086, 9090);
    private static final long DEMO_TIMEOUT_SECONDS = 420;

    @TempDir
    Path runDir;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // the demo's 420 s and the stop's 120 s, with room to spare
    void demoStartsTheSuitePushesToTheDevicePostsToARoomAndDeliversAnUplink() throws Exception {
        Path script = repoRoot().resolve("deploy/local/herald.sh");
        Prerequisites.require(Files.isExecutable(Path.of("/usr/share/zookeeper/bin/zkServer.sh"))
                        || "root".equals(System.getProperty("user.name")),
                "ZooKeeper, which the script may not install as this user (apt-get install -y zookeeper; .ci/run does)");
        int offset = freeOffset();
        try {
            Run demo = run(script, "demo", offset, DEMO_TIMEOUT_SECONDS);

            assertThat(demo.exitCode()).as(demo.output()).isZero();
            assertThat(demo.output())
                    .contains("Herald is up")
                    .contains("device demo-phone connected to access-1 (TCP " + (7070 + offset) + ")")
                    .containsPattern("PUSH \\w+ app=demo unicast: Hello from Herald at")
                    .contains("POST /v1/apps/demo/rooms/lobby/messages -> {\"id\"")
                    .contains("ROOM lobby #1 from the app: Hello, lobby")
                    // TLS on the same device port, checked by openssl against the demo's own CA
                    .contains("Verification: OK")
                    .contains("callbackUrl set to http://127.0.0.1:" + (8087 + offset) + "/uplinks")
                    .containsPattern("UPLINK \\w+ app=demo from demo-phone \\(signature verified\\): Hello from demo-phone");
            assertThat(runDir.resolve("logs/uplink-receiver.log")).content()
                    .containsPattern("UPLINK \\w+ app=demo from demo-phone \\(signature verified\\): Hello from demo-phone")
                    .doesNotContain("REFUSED");
        } finally {
            Run stop = run(script, "stop", offset, 120);
            assertThat(stop.exitCode()).as(stop.output()).isZero();
        }
        Run status = run(script, "status", offset, 30);
        assertThat(status.output()).doesNotContain("running");
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(Path script, String command, int offset, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), command).redirectErrorStream(true);
        builder.environment().put("HERALD_PORT_OFFSET", Integer.toString(offset));
        builder.environment().put("HERALD_RUN_DIR", runDir.toString());
        Process process = builder.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "herald.sh-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(5_000);
            return new Run(-1, "timed out after " + timeoutSeconds + " s:\n" + text(output));
        }
        reader.join(5_000);
        return new Run(process.exitValue(), text(output));
    }

    private static String text(ByteArrayOutputStream output) {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** An offset at which every port of the script is free now (checked by binding each). */
    private static int freeOffset() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int offset = 20_000 + 100 * ThreadLocalRandom.current().nextInt(200);
            if (IntStream.range(0, DEFAULT_PORTS.size()).allMatch(i -> free(DEFAULT_PORTS.get(i) + offset))) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port range for the demo suite");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Path repoRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/local/herald.sh"))) {
                return dir;
            }
        }
        throw new UncheckedIOException(new IOException("deploy/local/herald.sh not found above the working directory"));
    }
}
