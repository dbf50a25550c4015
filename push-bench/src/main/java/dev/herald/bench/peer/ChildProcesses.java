package dev.herald.bench.peer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every server process push-bench started and has not stopped yet. A JVM shutdown hook stops them, so
 * Ctrl-C (SIGINT) or SIGTERM in the middle of a run leaves none behind; the normal path stops each one as
 * soon as its part of the run is over.
 */
final class ChildProcesses {

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "push-bench-stop-servers"));
    }

    private ChildProcesses() {
    }

    static void started(Process process) {
        RUNNING.add(process);
    }

    /** SIGTERM, up to 5 s to exit, then SIGKILL. */
    static void stop(Process process) {
        try {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            RUNNING.remove(process);
        }
    }

    static int running() {
        return RUNNING.size();
    }

    private static void stopAll() {
        for (Process p : Set.copyOf(RUNNING)) {
            stop(p);
        }
    }
}
