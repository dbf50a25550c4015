package dev.herald.ops.pools;

import java.util.concurrent.atomic.LongAdder;

/** The counting columns of a pool; every method is safe from any thread and cheap on a hot path. */
final class PoolCounters {

    private final LongAdder created = new LongAdder();
    private final LongAdder createFailures = new LongAdder();
    private final LongAdder acquireTimeouts = new LongAdder();
    private final LongAdder callErrors = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final CallRate rate = new CallRate();

    void created() {
        created.increment();
    }

    void createFailed() {
        createFailures.increment();
    }

    void acquireTimedOut() {
        acquireTimeouts.increment();
    }

    void callFailed() {
        callErrors.increment();
    }

    void idleTimedOut() {
        idleTimeouts.increment();
    }

    void called() {
        calls.increment();
        rate.record();
    }

    PoolStats stats(String pool, String kind, String target, long idle, long active) {
        return new PoolStats(pool, kind, target, idle, active, created.sum(), createFailures.sum(), acquireTimeouts.sum(),
                callErrors.sum(), idleTimeouts.sum(), rate.perSecond(), calls.sum());
    }
}
