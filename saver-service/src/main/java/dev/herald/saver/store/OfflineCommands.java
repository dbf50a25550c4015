package dev.herald.saver.store;

import dev.herald.core.redis.RedisKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The saver's Redis vocabulary: each method is one command (or one Lua script on the keys of a
 * single hash slot, so it stays valid on Redis Cluster) and returns a cold {@link Mono} that emits
 * exactly one reply. Callers batch them into {@link RedisRounds}.
 */
@Component
final class OfflineCommands {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PENDING_READ = script("scripts/pending-read.lua", List.class);
    private static final RedisScript<Long> STATUS_INCREMENT = script("scripts/status-increment.lua", Long.class);
    /** The offline-store library's script (its writes index devices the same way). */
    private static final RedisScript<Long> PENDING_DUE_ADD = script("offline-scripts/pending-due-add.lua", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PENDING_DUE_CLAIM = script("scripts/pending-due-claim.lua", List.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PENDING_SWEEP = script("scripts/pending-sweep.lua", List.class);

    private final ReactiveStringRedisTemplate redis;

    OfflineCommands(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /** Removes the device's expired pending entries and reads the rest with its broadcast cursor. */
    Mono<PendingSnapshot> readPending(String appId, String deviceId, long now) {
        return strings(PENDING_READ, List.of(RedisKeys.pending(appId, deviceId), RedisKeys.cursor(appId, deviceId)),
                List.of(Long.toString(now)))
                .map(PendingSnapshot::parse);
    }

    /** The newest {@code count} entries of the app's broadcast log, oldest first. */
    Mono<List<LogEntry>> readBroadcastLog(String appId, int count) {
        return redis.opsForZSet()
                .reverseRangeWithScores(RedisKeys.broadcastLog(appId), Range.closed(0L, count - 1L))
                .map(t -> new LogEntry(t.getValue(), t.getScore().longValue()))
                .collectList()
                .map(newestFirst -> {
                    List<LogEntry> oldestFirst = new ArrayList<>(newestFirst);
                    Collections.reverse(oldestFirst);
                    return oldestFirst;
                });
    }

    Mono<Optional<String>> readBody(String messageId) {
        return redis.opsForValue().get(RedisKeys.body(messageId))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    /**
     * Removes one id from the device's pending set; emits {@code true} when it was there, so only the
     * caller that removed it counts it.
     */
    Mono<Boolean> removePending(String appId, String deviceId, String messageId) {
        return redis.opsForZSet().remove(RedisKeys.pending(appId, deviceId), messageId).map(removed -> removed > 0);
    }

    /** Puts devices in one shard of the expiry index at their earliest pending expiry, unless due earlier. */
    Mono<Long> indexDue(String shardKey, List<DueDevice> devices) {
        List<String> args = new ArrayList<>(2 * devices.size());
        for (DueDevice d : devices) {
            args.add(Long.toString(d.dueAt()));
            args.add(d.member());
        }
        return number(PENDING_DUE_ADD, List.of(shardKey), args);
    }

    /** Claims up to {@code limit} devices of a shard that are due, until {@code leaseEnd}; see pending-due-claim.lua. */
    Mono<List<String>> claimDue(String shardKey, long now, int limit, long leaseEnd) {
        return strings(PENDING_DUE_CLAIM, List.of(shardKey),
                List.of(Long.toString(now), Integer.toString(limit), Long.toString(leaseEnd)));
    }

    /** Removes the device's expired pending entries; emits them and when its next entry expires. */
    Mono<SweptDevice> sweepPending(String appId, String deviceId, long now) {
        return strings(PENDING_SWEEP, List.of(RedisKeys.pending(appId, deviceId)), List.of(Long.toString(now)))
                .map(SweptDevice::parse);
    }

    /** The expiry of the device's earliest pending entry, 0 when it has none. */
    Mono<Long> earliestPending(String appId, String deviceId) {
        return redis.opsForZSet().rangeWithScores(RedisKeys.pending(appId, deviceId), Range.closed(0L, 0L))
                .next()
                .map(t -> t.getScore().longValue())
                .defaultIfEmpty(0L);
    }

    /** Sets the device's place in its index shard (overwriting it); {@code dueAt} 0 removes it. Emits 1 if it was added or removed. */
    Mono<Long> rescheduleDue(String shardKey, String member, long dueAt) {
        return dueAt > 0 ? redis.opsForZSet().add(shardKey, member, dueAt).map(added -> added ? 1L : 0L)
                : redis.opsForZSet().remove(shardKey, member);
    }

    /**
     * Adds to counter {@code field} of the messages' statuses: one script per group of messages whose status
     * hashes share a slot (a send request's messages do), so a batch costs one command per request rather
     * than one per message. A status hash without a lifetime gets the increment's {@code expireAtIfNone}.
     */
    List<Mono<Long>> incrementStatuses(String field, List<StatusIncrement> increments) {
        Map<String, List<StatusIncrement>> bySlot = new LinkedHashMap<>();
        for (StatusIncrement increment : increments) {
            bySlot.computeIfAbsent(RedisKeys.statusTag(increment.messageId()), tag -> new ArrayList<>()).add(increment);
        }
        List<Mono<Long>> round = new ArrayList<>(bySlot.size());
        for (List<StatusIncrement> group : bySlot.values()) {
            List<String> keys = new ArrayList<>(group.size());
            List<String> args = new ArrayList<>(1 + 2 * group.size());
            args.add(field);
            for (StatusIncrement increment : group) {
                keys.add(RedisKeys.status(increment.messageId()));
                args.add(Long.toString(increment.by()));
                args.add(Long.toString(increment.expireAtIfNone()));
            }
            round.add(number(STATUS_INCREMENT, keys, args));
        }
        return round;
    }

    private Mono<Long> number(RedisScript<Long> script, List<String> keys, List<String> args) {
        return redis.execute(script, keys, args).single();
    }

    /**
     * A Lua array reply as strings. Depending on the driver's output mode the reply arrives as one
     * list or element by element; both are handled.
     */
    @SuppressWarnings("rawtypes")
    private Mono<List<String>> strings(RedisScript<List> script, List<String> keys, List<String> args) {
        Flux<?> reply = redis.execute(script, keys, args);
        return reply.collectList().map(OfflineCommands::flatten);
    }

    private static List<String> flatten(List<?> reply) {
        List<String> out = new ArrayList<>(reply.size());
        for (Object element : reply) {
            if (element instanceof List<?> nested) {
                nested.forEach(e -> out.add(String.valueOf(e)));
            } else {
                out.add(String.valueOf(element));
            }
        }
        return out;
    }

    /**
     * The script's text, read once. A resource-backed script would ask its resource for its modification time
     * on every execution (to reload an edited file), which inside the executable jar opens the nested jar
     * each time: profiled at a third of everything the saver allocated under broadcast ACK load.
     */
    private static <T> RedisScript<T> script(String path, Class<T> resultType) {
        try {
            String text = new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
            return RedisScript.of(text, resultType);
        } catch (IOException e) {
            throw new UncheckedIOException("Lua script " + path + " is missing from the saver's classpath", e);
        }
    }

    /** {@code by} more of a status counter for a message; its hash gets {@code expireAtIfNone} if it has no lifetime. */
    record StatusIncrement(String messageId, long by, long expireAtIfNone) {
    }

    /** A broadcast in an app's log. */
    record LogEntry(String messageId, long seq) {
    }

    /** A pending id that expired while the device was away. */
    record ExpiredEntry(String messageId, long expiresAt) {
    }

    /** A device's state at fetch time: server-side cursor, what just expired, what is still pending. */
    record PendingSnapshot(long cursor, List<ExpiredEntry> expired, List<String> live) {

        static PendingSnapshot parse(List<String> reply) {
            long cursor = Long.parseLong(reply.get(0));
            int expiredCount = Integer.parseInt(reply.get(1));
            List<ExpiredEntry> expired = new ArrayList<>(expiredCount);
            int i = 2;
            for (int n = 0; n < expiredCount; n++, i += 2) {
                expired.add(new ExpiredEntry(reply.get(i), (long) Double.parseDouble(reply.get(i + 1))));
            }
            return new PendingSnapshot(cursor, expired, List.copyOf(reply.subList(i, reply.size())));
        }
    }

    /** A device in the expiry index: {@code app:device}, due when its earliest pending entry expires. */
    record DueDevice(String member, long dueAt) {
    }

    /** What an expiry sweep of one device removed, and when its next entry expires (0: none left). */
    record SweptDevice(List<ExpiredEntry> expired, long nextExpiry) {

        static SweptDevice parse(List<String> reply) {
            int expiredCount = Integer.parseInt(reply.get(0));
            List<ExpiredEntry> expired = new ArrayList<>(expiredCount);
            int i = 1;
            for (int n = 0; n < expiredCount; n++, i += 2) {
                expired.add(new ExpiredEntry(reply.get(i), (long) Double.parseDouble(reply.get(i + 1))));
            }
            long next = i < reply.size() ? (long) Double.parseDouble(reply.get(i)) : 0L;
            return new SweptDevice(expired, next);
        }
    }
}
