package dev.herald.saver.store;

import dev.herald.core.message.MessageStatus;
import dev.herald.saver.store.OfflineCommands.ExpiredEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Pending entries that expired, gathered per message so that counting them costs one {@code expired}
 * increment per message, however many devices it expired for. Whoever removed an entry from its pending
 * set counts it, and only that one: the backlog read, the removal of a vanished body or the expiry sweep.
 */
final class ExpiredTally {

    private final Map<String, long[]> byMessage = new LinkedHashMap<>();
    private long total;

    void add(ExpiredEntry entry) {
        add(entry.messageId(), entry.expiresAt());
    }

    void add(String messageId, long expiresAt) {
        long[] countAndLatest = byMessage.computeIfAbsent(messageId, id -> new long[2]);
        countAndLatest[0]++;
        countAndLatest[1] = Math.max(countAndLatest[1], expiresAt);
        total++;
    }

    /** Entries counted, over all messages. */
    long total() {
        return total;
    }

    /**
     * One increment per message, in one script per status slot. A status hash that has no lifetime yet gets
     * the usual retention after the message's expiry.
     */
    List<Mono<Long>> increments(OfflineCommands redis) {
        List<OfflineCommands.StatusIncrement> increments = new ArrayList<>(byMessage.size());
        byMessage.forEach((id, c) -> increments.add(new OfflineCommands.StatusIncrement(id, c[0],
                c[1] + MessageStatus.RETENTION_AFTER_EXPIRY_MS)));
        return redis.incrementStatuses(MessageStatus.EXPIRED, increments);
    }
}
