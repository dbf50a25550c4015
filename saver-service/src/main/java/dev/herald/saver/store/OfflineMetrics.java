package dev.herald.saver.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** Counters of what the saver did, per (device, message) pair or per broadcast. */
@Component
final class OfflineMetrics {

    private final Counter stored;
    private final Counter fetched;
    private final Counter acked;
    private final Counter expired;

    OfflineMetrics(MeterRegistry registry) {
        stored = Counter.builder("herald.saver.stored")
                .description("Messages newly stored: one per pending device entry, one per broadcast")
                .register(registry);
        fetched = Counter.builder("herald.saver.fetched")
                .description("Messages handed to reconnecting devices")
                .register(registry);
        acked = Counter.builder("herald.saver.acked")
                .description("First acknowledgements of a message by a device (counted as delivered)")
                .register(registry);
        expired = Counter.builder("herald.saver.expired")
                .description("Pending entries that expired before their device came back")
                .register(registry);
    }

    void stored(long n) {
        stored.increment(n);
    }

    void fetched(long n) {
        fetched.increment(n);
    }

    void acked(long n) {
        acked.increment(n);
    }

    void expired(long n) {
        expired.increment(n);
    }
}
