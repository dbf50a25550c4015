package dev.herald.bench.worker;

import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.scenario.DeviceSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices spread over child JVMs of this program, each a {@link WorkerProcess} with a slice. One
 * process can hold only about as many sockets as its open-files limit (≈19 000 here), so 10⁵ devices
 * need several. Children that outlive their parent notice their closed stdin and exit; a shutdown hook
 * kills them on Ctrl-C.
 */
public final class ForkedWorkers implements DeviceWorkers {

    private static final Logger log = LoggerFactory.getLogger(ForkedWorkers.class);

    private final int processes;
    private final List<String> jvmOptions;
    private final String namePrefix;
    private final List<Child> children = new ArrayList<>();
    private final Thread killer = new Thread(this::kill, "bench-kill-workers");

    public ForkedWorkers(int processes, List<String> jvmOptions, String namePrefix) {
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be >= 1");
        }
        this.processes = processes;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.namePrefix = namePrefix;
    }

    @Override
    public List<WorkerReady> start(int runId, DeviceSpec devices, Duration timeout) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(killer);
        List<Slice> slices = Slice.split(devices.firstDevice(), devices.devices(), processes);
        for (int i = 0; i < processes; i++) {
            String name = namePrefix + "-" + i;
            WorkerTask task = new WorkerTask(runId, name, WorkerTask.share(devices, slices.get(i)));
            children.add(Child.start(name, JavaCommand.of(jvmOptions, List.of("worker")), task));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<WorkerReady> ready = new ArrayList<>();
        for (Child child : children) {
            if (!child.ready.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(child.name + " did not finish connecting within " + timeout);
            }
            if (child.readyLine == null) {
                throw new IllegalStateException(child.name + " failed: " + child.failure());
            }
            ready.add(child.readyLine);
        }
        return ready;
    }

    @Override
    public long received() {
        long sum = 0;
        for (Child child : children) {
            sum += child.received;
        }
        return sum;
    }

    @Override
    public List<WorkerResult> finish(Duration timeout) throws InterruptedException {
        for (Child child : children) {
            child.send(WorkerProtocol.FINISH);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<WorkerResult> results = new ArrayList<>();
        for (Child child : children) {
            if (!child.result.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(child.name + " sent no result within " + timeout);
            }
            if (child.resultLine == null) {
                throw new IllegalStateException(child.name + " failed: " + child.failure());
            }
            results.add(child.resultLine);
        }
        for (Child child : children) {
            child.process.waitFor(10, TimeUnit.SECONDS);
        }
        return results;
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never registered
        }
    }

    private void kill() {
        for (Child child : children) {
            if (child.process.isAlive()) {
                child.process.destroy();
            }
        }
        for (Child child : children) {
            try {
                if (!child.process.waitFor(5, TimeUnit.SECONDS)) {
                    child.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.process.destroyForcibly();
            }
        }
    }

    /** One child process and what it has said so far. */
    private static final class Child {
        final String name;
        final Process process;
        final Writer stdin;
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch result = new CountDownLatch(1);
        volatile WorkerReady readyLine;
        volatile WorkerResult resultLine;
        volatile long received;
        volatile String error;

        private Child(String name, Process process) {
            this.name = name;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Child start(String name, List<String> command, WorkerTask task) {
            try {
                Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                Child child = new Child(name, process);
                Thread reader = new Thread(child::readStdout, "bench-" + name);
                reader.setDaemon(true);
                reader.start();
                child.send(ReportWriter.JSON.writeValueAsString(task));
                log.info("started {} (pid {}) with devices {}..{}", name, process.pid(),
                        task.devices().firstDevice(), task.devices().firstDevice() + task.devices().devices() - 1);
                return child;
            } catch (IOException e) {
                throw new IllegalStateException("cannot start worker process: " + command, e);
            }
        }

        void send(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                error = "cannot write to it: " + e.getMessage();
            }
        }

        String failure() {
            if (error != null) {
                return error;
            }
            return process.isAlive() ? "no answer" : "exited with " + process.exitValue();
        }

        private void readStdout() {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (!line.startsWith(WorkerProtocol.PREFIX)) {
                        System.err.println("[" + name + "] " + line);
                        continue;
                    }
                    String rest = line.substring(WorkerProtocol.PREFIX.length());
                    int space = rest.indexOf(' ');
                    String kind = space < 0 ? rest : rest.substring(0, space);
                    String body = space < 0 ? "" : rest.substring(space + 1);
                    switch (kind) {
                        case WorkerProtocol.READY -> {
                            readyLine = ReportWriter.JSON.readValue(body, WorkerReady.class);
                            ready.countDown();
                        }
                        case WorkerProtocol.PROGRESS -> received = Long.parseLong(body.trim());
                        case WorkerProtocol.RESULT -> {
                            resultLine = ReportWriter.JSON.readValue(body, WorkerResult.class);
                            result.countDown();
                        }
                        case WorkerProtocol.ERROR -> error = body;
                        default -> System.err.println("[" + name + "] " + line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                error = "unreadable output: " + e;
            } finally {
                ready.countDown();
                result.countDown();
            }
        }
    }
}
