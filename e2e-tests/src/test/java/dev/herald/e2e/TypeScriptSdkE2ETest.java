package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.testsupport.Prerequisites;
import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.ServiceProcess;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The TypeScript SDK (clients/typescript, built by its Maven module before this one) against the running suite:
 * its Node.js scenario (e2e/node.e2e.mjs: a device on two apps, then its access node killed mid-run) and its
 * Chromium scenario (e2e/browser.e2e.mjs: the browser bundle in Debian's chromium), each run as a process with the
 * suite's addresses in its environment. The scripts assert; this test asserts their exit code and success line.
 */
@ExtendWith(HeraldSuite.class)
class TypeScriptSdkE2ETest {

    private static final Path SDK = Path.of("..", "clients", "typescript");
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final long SCRIPT_TIMEOUT_SECONDS = 200;

    @Test
    void aNodeDeviceGetsEverythingAndItsBacklogThroughTheOtherNodeAfterItsNodeIsKilled() throws Exception {
        requireNodeAndTheBuiltSdk();
        HeraldSuite suite = HeraldSuite.get();
        int port = RedisServer.freePort();
        // A node of its own to kill, so the suite's two stay up for the other tests.
        ServiceProcess doomed = suite.launchAccess("access-ts-doomed", "default", port,
                List.of("--herald.zookeeper.session-timeout=PT6S", "--herald.zookeeper.connection-timeout=PT3S"))
                .awaitReady(HeraldSuite.READY);
        try {
            Map<String, String> env = suiteEnvironment(suite);
            env.put("HERALD_WS_DOOMED", ws(port));
            env.put("HERALD_DOOMED_PID", Long.toString(doomed.pid()));

            ScriptRun run = runScript("e2e/node.e2e.mjs", env);

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(run.output()).contains("E2E-NODE OK");
            assertThat(doomed.isAlive()).as("the script killed the device's node").isFalse();
        } finally {
            doomed.kill();
        }
    }

    @Test
    void aPageInChromiumGetsEverythingAndItsBacklogThroughTheOtherNode() throws Exception {
        requireNodeAndTheBuiltSdk();
        Prerequisites.require(CHROMIUM.canExecute(), "Chromium (apt-get install -y chromium; .ci/run does)");
        HeraldSuite suite = HeraldSuite.get();

        ScriptRun run = runScript("e2e/browser.e2e.mjs", suiteEnvironment(suite));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("E2E-BROWSER OK");
    }

    private static void requireNodeAndTheBuiltSdk() {
        Prerequisites.require(onPath("node"), "node (apt-get install -y nodejs npm; .ci/run does)");
        assertThat(SDK.resolve("dist/browser/herald-push.js")).as("the SDK is built by its Maven module (clients/typescript); "
                + "run with -am, or npm ci && npm run build there").exists();
        assertThat(SDK.resolve("node_modules/puppeteer-core")).as("the SDK's npm packages are installed").exists();
    }

    private static Map<String, String> suiteEnvironment(HeraldSuite suite) {
        Map<String, String> env = new HashMap<>();
        env.put("HERALD_API_URL", suite.api.baseUrl());
        env.put("HERALD_APP", HeraldSuite.APP);
        env.put("HERALD_APP_KEY", HeraldSuite.APP_KEY);
        env.put("HERALD_APP_SECRET", HeraldSuite.APP_SECRET);
        env.put("HERALD_OTHER_APP", HeraldSuite.OTHER_APP);
        env.put("HERALD_OTHER_APP_KEY", HeraldSuite.OTHER_KEY);
        env.put("HERALD_OTHER_APP_SECRET", HeraldSuite.OTHER_SECRET);
        env.put("HERALD_WS_1", ws(suite.access1Port));
        env.put("HERALD_WS_2", ws(suite.access2Port));
        return env;
    }

    private static String ws(int port) {
        return "ws://127.0.0.1:" + port + "/ws";
    }

    record ScriptRun(int exitCode, String output) {
    }

    /** Runs a script of the SDK with node, its output copied to the test's and kept; killed past the timeout. */
    private static ScriptRun runScript(String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(SDK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> copy(process.getInputStream(), output), "node-output");
        reader.start();
        try {
            if (!process.waitFor(SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(5000);
                throw new AssertionError(script + " ran past " + SCRIPT_TIMEOUT_SECONDS + " s:\n" + output);
            }
            reader.join(5000);
            synchronized (output) {
                return new ScriptRun(process.exitValue(), output.toString());
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static void copy(InputStream in, StringBuilder output) {
        try {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                String text = new String(buffer, 0, n, StandardCharsets.UTF_8);
                System.out.print(text);
                synchronized (output) {
                    output.append(text);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
