package dev.herald.bench.cli;

import dev.herald.bench.worker.WorkerProcess;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The child side of --processes: reads its task on stdin, answers on stdout. Not for people. */
@Command(name = "worker", hidden = true, description = "Internal: a forked worker process.")
final class WorkerCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return WorkerProcess.run(System.in, System.out);
    }
}
