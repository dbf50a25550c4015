package dev.herald.bench.peer;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code mosquitto} and {@code nats-server} binaries (Debian puts both in {@code /usr/sbin}, which a
 * user's PATH often lacks); when one is missing and this process runs as root with apt-get, installs the
 * Debian packages as {@code deploy/local/herald.sh} does for Redis. The packages' own service start is not
 * relied on: push-bench starts each server itself on a free port.
 */
public final class PeerBinaries {

    private static final Logger log = LoggerFactory.getLogger(PeerBinaries.class);
    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin");
    static final List<String> PACKAGES = List.of("mosquitto", "nats-server");

    private PeerBinaries() {
    }

    /** The binary's path, or {@code null} when it is not installed. */
    public static Path find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The binary's path, installing the Debian packages first when it is missing and that is possible.
     *
     * @throws IllegalStateException when it is missing and cannot be installed, saying how to install it
     */
    public static synchronized Path require(String name) {
        Path found = find(name);
        if (found != null) {
            return found;
        }
        String howTo = "install it with: sudo apt-get install -y " + String.join(" ", PACKAGES);
        if (!runningAsRoot() || find("apt-get") == null) {
            throw new IllegalStateException(name + " is missing; " + howTo);
        }
        log.info("{} is missing: installing {} (apt-get)", name, PACKAGES);
        run(List.of("apt-get", "update", "-qq"));
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq"));
        install.addAll(PACKAGES);
        run(install);
        found = find(name);
        if (found == null) {
            throw new IllegalStateException(name + " is still missing after apt-get install; " + howTo);
        }
        return found;
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 10 minutes");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + p.exitValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + PACKAGES, e);
        }
    }

    /** The real user id from {@code /proc/self/status} ({@code Uid: real effective ...}). */
    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: never install anything
        }
        return false;
    }
}
