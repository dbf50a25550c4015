package dev.herald.saver.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Counters of what the saver did, per (device, message) pair or per broadcast:
 * {@code herald.saver.offline.stored}, {@code .fetched}, {@code .expired} and {@code herald.saver.delivered}.
 */
@Component
final class OfflineMetrics {

    private final Counter stored;
    private final Counter fetched;
    private final Counter delivered;
    private final Counter expired;

    OfflineMetrics(MeterRegistry registry) {
        stored = Counter.builder("herald.saver.offline.stored")
                .description("Messages newly stored: one per pending device entry, one per broadcast")
                .register(registry);
        fetched = Counter.builder("herald.saver.offline.fetched")
                .description("Stored messages handed to reconnecting devices")
                .register(registry);
        delivered = Counter.builder("herald.saver.delivered")
                .description("First acknowledgements of a message by a device: deliveries, live or offline")
                .register(registry);
        expired = Counter.builder("herald.saver.offline.expired")
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
        delivered.increment(n);
    }

    void expired(long n) {
        expired.increment(n);
    }
}
