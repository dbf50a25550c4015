package dev.herald.bench.cli;

import dev.herald.bench.worker.DeviceWorkers;
import dev.herald.bench.worker.ForkedWorkers;
import dev.herald.bench.worker.LocalWorker;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Where the devices run and where the report goes. */
final class RunOptions {

    @Option(names = "--processes", defaultValue = "1",
            description = "Worker JVMs to fork, each with a slice of the devices (one process holds about as many sockets as its open-files limit). 1 = this process. Default: ${DEFAULT-VALUE}")
    int processes;

    @Option(names = "--worker-jvm-options", defaultValue = "-Xmx1g",
            description = "JVM options of forked workers, space-separated. Default: ${DEFAULT-VALUE}")
    String workerJvmOptions;

    @Option(names = "--gc-log", split = ",", paramLabel = "FILE",
            description = "GC logs of services on this machine (as deploy/local/herald.sh writes them: deploy/local/run/logs/<service>-gc.log); the run reports the longest GC pause and safepoint each gained during the run")
    List<Path> gcLogs = List.of();

    @Option(names = "--report", description = "JSON report file. Default: push-bench-<scenario>-<time>.json in the working directory")
    Path report;

    List<Path> gcLogs() {
        return gcLogs == null ? List.of() : gcLogs;
    }

    DeviceWorkers workers(String name) {
        if (processes < 1) {
            throw new IllegalArgumentException("--processes must be >= 1");
        }
        return processes == 1 ? new LocalWorker(name) : new ForkedWorkers(processes, jvmOptions(), name);
    }

    List<String> jvmOptions() {
        return workerJvmOptions.isBlank() ? List.of() : Arrays.asList(workerJvmOptions.trim().split("\\s+"));
    }

    Path reportFile(String scenario) {
        if (report != null) {
            return report;
        }
        return Path.of("push-bench-" + scenario + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
    }
}
