package dev.herald.core.schedule;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A task run every {@code every} on Reactor's parallel scheduler, one run at a time: a tick that comes while a run
 * is still going is dropped rather than queued, so a slow Redis never piles runs up; a failed run is logged and the
 * schedule goes on. The loop of the services' sweeps and gauges, started and stopped with their lifecycle.
 */
public final class PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Duration initialDelay;
    private final Duration every;
    private final Supplier<Mono<?>> run;
    private Disposable schedule;

    /**
     * @param name what the logs call a failed run ("expiry sweep")
     * @param run  one run; its failure is logged and the next tick runs it again
     */
    public PeriodicTask(String name, Duration initialDelay, Duration every, Supplier<Mono<?>> run) {
        this.name = name;
        this.initialDelay = initialDelay;
        this.every = every;
        this.run = run;
    }

    public synchronized void start() {
        if (schedule != null) {
            return;
        }
        schedule = Flux.interval(initialDelay, every)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.defer(run).then().onErrorResume(error -> {
                    log.warn("{} failed: {}", name, error.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    public synchronized void stop() {
        if (schedule != null) {
            schedule.dispose();
            schedule = null;
        }
    }

    public synchronized boolean isRunning() {
        return schedule != null;
    }
}
