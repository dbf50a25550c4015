package dev.herald.bench.worker;

import dev.herald.bench.scenario.DeviceSpec;
import java.time.Duration;
import java.util.List;

/**
 * Where a run's simulated devices live: in this process ({@link LocalWorker}), in child processes
 * ({@link ForkedWorkers}) or on remote agents (the distributed coordinator). Scenarios are written
 * against this interface once; they send messages themselves and read back what the devices got.
 */
public interface DeviceWorkers extends AutoCloseable {

    /**
     * Connects the devices of {@code devices} (split over the workers) and returns when every worker
     * has tried all of its devices.
     *
     * @throws IllegalStateException when a worker fails or does not get ready within {@code timeout}
     */
    List<WorkerReady> start(int runId, DeviceSpec devices, Duration timeout) throws InterruptedException;

    /** Messages of this run received so far by all workers (warm-ups included); cheap enough to poll. */
    long received();

    /** Ends the run on every worker: collects its results and closes its devices. */
    List<WorkerResult> finish(Duration timeout) throws InterruptedException;

    /** Stops everything still running (after {@link #finish}, or instead of it on failure). */
    @Override
    void close();
}
