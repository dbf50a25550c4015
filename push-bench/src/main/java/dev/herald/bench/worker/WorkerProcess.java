package dev.herald.bench.worker;

import dev.herald.bench.report.ReportWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** The child side of {@link ForkedWorkers}: runs one {@link LocalWorker} as told on stdin. */
public final class WorkerProcess {

    private WorkerProcess() {
    }

    /** Returns the process exit code: 0 after a finished run, 1 when the parent went away or the run failed. */
    public static int run(InputStream stdin, PrintStream stdout) {
        BufferedReader in = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        try {
            String taskLine = in.readLine();
            if (taskLine == null) {
                return 1;
            }
            WorkerTask task = ReportWriter.JSON.readValue(taskLine, WorkerTask.class);
            try (LocalWorker worker = new LocalWorker(task.worker())) {
                List<WorkerReady> ready = worker.start(task.runId(), task.devices(), Duration.ZERO);
                emit(stdout, WorkerProtocol.READY, ReportWriter.JSON.writeValueAsString(ready.get(0)));
                AtomicLong reported = new AtomicLong(-1);
                progress.scheduleWithFixedDelay(() -> {
                    long received = worker.received();
                    if (reported.getAndSet(received) != received) {
                        emit(stdout, WorkerProtocol.PROGRESS, Long.toString(received));
                    }
                }, 0, 100, TimeUnit.MILLISECONDS);
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equals(WorkerProtocol.FINISH)) {
                        progress.shutdownNow();
                        List<WorkerResult> result = worker.finish(Duration.ZERO);
                        emit(stdout, WorkerProtocol.RESULT, ReportWriter.JSON.writeValueAsString(result.get(0)));
                        return 0;
                    }
                }
                return 1; // the parent closed our stdin without asking for results: it is gone
            }
        } catch (IOException | RuntimeException e) {
            emit(stdout, WorkerProtocol.ERROR, String.valueOf(e).replace('\n', ' '));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            progress.shutdownNow();
        }
    }

    private static void emit(PrintStream out, String kind, String body) {
        synchronized (out) {
            out.println(WorkerProtocol.line(kind, body));
            out.flush();
        }
    }
}
