package dev.herald.bench.compare;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a sender's target did with the messages so far, updated from I/O threads: accepted (push-api
 * answered 202, the broker PUBACKed a QoS 1 publish, or a QoS 0 / NATS publish was written out) or
 * rejected, with the reasons counted; and how many were refused for now and sent again (push-api's
 * backpressure: 503 {@code BACKLOG_FULL}).
 */
final class SendCounts {

    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final LongAdder resent = new LongAdder();

    void accepted(long messages) {
        accepted.add(messages);
    }

    void rejected(long messages, String reason) {
        rejected.add(messages);
        failures.merge(reason, (int) Math.min(Integer.MAX_VALUE, messages), Integer::sum);
    }

    void resent(long messages) {
        resent.add(messages);
    }

    long resent() {
        return resent.sum();
    }

    long accepted() {
        return accepted.sum();
    }

    long rejected() {
        return rejected.sum();
    }

    Map<String, Integer> failures() {
        return new TreeMap<>(failures);
    }
}
