package dev.herald.core.redis.stream;

import dev.herald.core.redis.DedicatedConnection;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.models.stream.ClaimedMessages;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading a stream as one consumer of a group, so that an entry is never lost, at worst handled twice: after every
 * (re)start or failure this consumer's own pending entries first (ID {@code 0}, no block) until there are none, then
 * new ones ({@code >}, with a block); entries other consumers have left idle longer than {@code claim-idle} are
 * taken over (XAUTOCLAIM, a page per call) and then re-read the same way. Acknowledging is the caller's, once an
 * entry's work is done. Used from its {@link StreamWorker}'s thread only.
 */
public final class GroupReader {

    private static final Logger log = LoggerFactory.getLogger(GroupReader.class);
    private static final String CLAIM_SCAN_START = "0-0";

    private final String stream;
    private final Consumer<String> consumer;
    private final Duration claimIdle;
    private final long claimEveryMs;
    private final int claimPage;

    private boolean readingOwnPending = true;
    private String claimCursor = CLAIM_SCAN_START;
    private long nextClaimAt;

    /**
     * @param claimIdle how long another consumer's entry may stay unacknowledged before this one takes it over;
     *                  {@code null} when every instance reads as the same consumer (nothing to claim)
     * @param claimPage entries claimed per call at most
     */
    public GroupReader(String stream, Consumer<String> consumer, Duration claimIdle, int claimPage) {
        this.stream = stream;
        this.consumer = consumer;
        this.claimIdle = claimIdle;
        this.claimEveryMs = claimIdle == null ? Long.MAX_VALUE : Math.max(100, claimIdle.toMillis() / 2);
        this.claimPage = claimPage;
    }

    public String stream() {
        return stream;
    }

    public Consumer<String> consumer() {
        return consumer;
    }

    /**
     * Creates the group unless it exists (from ID {@code 0}, with the stream if absent, so entries appended before
     * any consumer ran are read too), goes back to this consumer's own pending entries and claims at once.
     */
    public void setUp(DedicatedConnection connection) {
        try {
            connection.sync().xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), consumer.getGroup(),
                    XGroupCreateArgs.Builder.mkstream());
            log.info("created consumer group {} on {}", consumer.getGroup(), stream);
        } catch (RedisBusyException alreadyExists) {
            // BUSYGROUP: the usual case.
        }
        readingOwnPending = true;
        claimCursor = CLAIM_SCAN_START;
        nextClaimAt = 0;
    }

    /** Whether the next read is of this consumer's own pending entries (read again, without a block). */
    public boolean readingOwnPending() {
        return readingOwnPending;
    }

    /** When due, takes over a page of entries other consumers have held too long; they are read back from ID 0. */
    public void claimAbandoned(DedicatedConnection connection) {
        long now = System.currentTimeMillis();
        if (claimIdle == null || now < nextClaimAt) {
            return;
        }
        ClaimedMessages<String, String> claimed = connection.sync().xautoclaim(stream, new XAutoClaimArgs<String>()
                .consumer(consumer).minIdleTime(claimIdle).startId(claimCursor).count(claimPage).justid());
        if (!claimed.getMessages().isEmpty()) {
            log.info("claimed {} entries of {} idle for over {} from other consumers", claimed.getMessages().size(),
                    stream, claimIdle);
            readingOwnPending = true;
        }
        String next = claimed.getId();
        if (next == null || CLAIM_SCAN_START.equals(next)) {
            claimCursor = CLAIM_SCAN_START;
            nextClaimAt = now + claimEveryMs;
        } else {
            claimCursor = next; // more to scan: continue on the next call
        }
    }

    /**
     * Up to {@code count} entries: own pending ones while there are any, else new ones, waiting up to {@code block}
     * for them. An empty answer to the pending read ends it.
     */
    public List<StreamMessage<String, String>> read(DedicatedConnection connection, int count, Duration block) {
        List<StreamMessage<String, String>> entries = readingOwnPending
                ? connection.sync().xreadgroup(consumer, XReadArgs.Builder.count(count), XReadArgs.StreamOffset.from(stream, "0"))
                : connection.sync().xreadgroup(consumer, XReadArgs.Builder.count(count).block(block),
                        XReadArgs.StreamOffset.lastConsumed(stream));
        if (entries == null || entries.isEmpty()) {
            readingOwnPending = false;
            return List.of();
        }
        return entries;
    }
}
