package dev.herald.ops.profiling;

import dev.herald.ops.OpsProperties;
import dev.herald.ops.ServiceIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Takes Java Flight Recorder snapshots, one at a time: on a schedule ({@code interval}, each lasting
 * {@code duration}; the first one interval after start-up) and on demand. A snapshot records with the
 * JDK's {@code profile} (or {@code default}) settings, is dumped to disk when it ends, summarised at once
 * on the profiler's own thread, and kept in the {@link ProfileHistory}. Stopping the service abandons a
 * recording in progress (its {@code .jfr.part} is deleted at the next start).
 */
public final class ProfileRecorder implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ProfileRecorder.class);

    private final ProfileHistory history;
    private final OpsProperties.Profiling settings;
    private final Counter scheduledCaptures;
    private final Counter onDemandCaptures;
    private final Counter failedCaptures;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "herald-profiler");
        t.setDaemon(true);
        return t;
    });
    // guarded by this
    private Running running;
    private ScheduledFuture<?> schedule;
    private boolean started;

    /** The recording in progress. */
    public record Running(String id, String trigger, Instant startedAt, Duration duration) {
    }

    private record InProgress(Recording recording, CompletableFuture<Snapshot> done) {
    }

    private InProgress inProgress;

    /** A recorder keeping its history in {@code <directory>/<service>-<node>}. */
    public static ProfileRecorder create(OpsProperties.Profiling settings, ServiceIdentity identity, MeterRegistry meters) {
        Path directory = settings.directory().resolve(identity.service() + "-" + identity.node());
        return new ProfileRecorder(new ProfileHistory(directory, settings.keep(), settings.maxBytes().toBytes()), settings,
                meters);
    }

    ProfileRecorder(ProfileHistory history, OpsProperties.Profiling settings, MeterRegistry meters) {
        this.history = history;
        this.settings = settings;
        this.scheduledCaptures = captures(meters, Snapshot.SCHEDULED);
        this.onDemandCaptures = captures(meters, Snapshot.ON_DEMAND);
        this.failedCaptures = Counter.builder("herald.profiles.failed")
                .description("JFR snapshots that could not be recorded or summarised").register(meters);
    }

    private static Counter captures(MeterRegistry meters, String trigger) {
        return Counter.builder("herald.profiles.captured").description("JFR snapshots taken, by trigger")
                .tag("trigger", trigger).register(meters);
    }

    /** Whether this JVM can record (it has the {@code jdk.jfr} module and JFR is not disabled). */
    public static boolean available() {
        try {
            return FlightRecorder.isAvailable();
        } catch (NoClassDefFoundError | RuntimeException e) {
            return false;
        }
    }

    public synchronized Optional<Running> running() {
        return Optional.ofNullable(running);
    }

    public List<Snapshot> history() {
        return history.list();
    }

    public Optional<ProfileSummary> summary(String id) {
        return history.summary(id);
    }

    public Optional<Path> file(String id) {
        return history.file(id);
    }

    /**
     * Starts a snapshot of {@code duration}; the future completes with it once it is recorded, summarised
     * and in the history.
     *
     * @throws ProfilerBusyException when a snapshot is already recording
     * @throws IllegalStateException when JFR is not available or cannot start
     */
    public synchronized CompletableFuture<Snapshot> capture(Duration duration, String trigger) {
        if (running != null) {
            throw new ProfilerBusyException(running.id());
        }
        Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration(settings.settings()));
        } catch (IOException | ParseException | RuntimeException | NoClassDefFoundError e) {
            failedCaptures.increment();
            throw new IllegalStateException("JFR cannot record here: " + e, e);
        }
        Instant startedAt = Instant.now();
        String id = Snapshot.id(startedAt, trigger);
        recording.setName("herald-" + id);
        recording.setToDisk(true);
        recording.start();
        running = new Running(id, trigger, startedAt, duration);
        CompletableFuture<Snapshot> done = new CompletableFuture<>();
        inProgress = new InProgress(recording, done);
        thread.schedule(() -> finish(recording, trigger, startedAt, done), duration.toMillis(), TimeUnit.MILLISECONDS);
        log.info("profiling: snapshot {} started for {}", id, duration);
        return done;
    }

    /** On the profiler thread: stop, dump, summarise, keep. */
    private void finish(Recording recording, String trigger, Instant startedAt, CompletableFuture<Snapshot> done) {
        String id = Snapshot.id(startedAt, trigger);
        synchronized (this) {
            if (inProgress == null || inProgress.recording() != recording) {
                return;  // abandoned by stop(); its caller has been told
            }
        }
        try {
            recording.stop();
            Instant endedAt = Instant.now();
            Path part = history.partFile(id);
            recording.dump(part);
            recording.close();
            Snapshot snapshot = Snapshot.of(trigger, startedAt, endedAt, Files.size(part));
            ProfileSummary summary = JfrSummarizer.summarize(part, snapshot);
            history.add(part, summary);
            (Snapshot.SCHEDULED.equals(trigger) ? scheduledCaptures : onDemandCaptures).increment();
            log.info("profiling: snapshot {} kept ({} KB, {} CPU samples)", id, snapshot.bytes() / 1024,
                    summary.executionSamples());
            release(recording);
            done.complete(snapshot);
        } catch (IOException | RuntimeException e) {
            failedCaptures.increment();
            log.warn("profiling: snapshot {} failed: {}", id, e.toString());
            recording.close();
            release(recording);
            done.completeExceptionally(e);
        }
    }

    private synchronized void release(Recording recording) {
        if (inProgress != null && inProgress.recording() == recording) {
            running = null;
            inProgress = null;
        }
    }

    /** Starts the schedule, when there is one. */
    @Override
    public synchronized void start() {
        started = true;
        if (schedule != null || !settings.scheduled()) {
            return;
        }
        long every = settings.interval().toMillis();
        schedule = thread.scheduleAtFixedRate(this::scheduledCapture, every, every, TimeUnit.MILLISECONDS);
        log.info("profiling: a {} snapshot every {} into {}", settings.duration(), settings.interval(), history.directory());
    }

    private void scheduledCapture() {
        try {
            capture(settings.duration(), Snapshot.SCHEDULED);
        } catch (ProfilerBusyException busy) {
            log.info("profiling: scheduled snapshot skipped, {} is recording", busy.recordingId());
        } catch (RuntimeException e) {
            log.warn("profiling: scheduled snapshot not started: {}", e.getMessage());
        }
    }

    /**
     * Ends the schedule and abandons a recording in progress. The profiler's thread stays for a restart
     * (a paused test context restarts its lifecycle); {@link #destroy()} ends it.
     */
    @Override
    public synchronized void stop() {
        started = false;
        if (schedule != null) {
            schedule.cancel(false);
            schedule = null;
        }
        if (inProgress != null) {
            inProgress.recording().close();
            inProgress.done().completeExceptionally(new IllegalStateException("the service is stopping"));
            log.info("profiling: snapshot {} abandoned, the service is stopping", running.id());
            running = null;
            inProgress = null;
        }
    }

    @Override
    public void destroy() {
        stop();
        thread.shutdownNow();
    }

    @Override
    public synchronized boolean isRunning() {
        return started;
    }
}
