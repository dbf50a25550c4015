package dev.herald.access.room;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records this node's room membership in Redis, in batches: joins, leaves and changes of the rooms the node
 * hosts within {@code herald.access.room.batch-window} share one pipelined round ({@code RoomScripts} JOIN and
 * LEAVE, the room's history for each join, {@code h:node-rooms:{node}}, {@code h:room-hosts:{cell}}).
 *
 * <p>Batches go out one at a time, and within a batch only the last change of each (room, device) counts, so
 * the order of a device's joins and leaves is kept. At start-up the node first removes what an earlier run of
 * itself left (members whose connections died with it).
 */
@Component
public final class MembershipRecorder {

    private static final Logger log = LoggerFactory.getLogger(MembershipRecorder.class);
    static final int MAX_BATCH = 512;
    static final int PURGE_CHUNK = 500;
    private static final int WRITE_ATTEMPTS = 3;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> JOIN = RoomRedis.script(RoomScripts.JOIN);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> LEAVE = RoomRedis.script(RoomScripts.LEAVE);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PURGE = RoomRedis.script(RoomScripts.PURGE_NODE);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final String nodeId;
    private final String cell;
    private final Batcher<Change> batcher;

    public MembershipRecorder(AccessProperties properties, ReactiveStringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
        this.nodeId = properties.nodeId();
        this.cell = properties.cell();
        this.batcher = new Batcher<>("room membership", properties.room().batchWindow(), MAX_BATCH, 1, this::write,
                Schedulers.parallel());
    }

    /**
     * What a join found: banned until some time, or joined with the room's size and seq at the join, and the
     * newest history (oldest first). {@link #SUPERSEDED}: a later change of the same member in the batch won.
     */
    record Joined(long bannedUntil, long memberCount, long roomSeq, List<RoomMessage> history) {
        static final Joined SUPERSEDED = new Joined(0, -1, 0, List.of());

        boolean banned() {
            return bannedUntil > 0;
        }
    }

    CompletableFuture<Joined> join(RoomRef room, String deviceId, int historyLimit) {
        Join join = new Join(room, deviceId, historyLimit, new CompletableFuture<>());
        batcher.add(join);
        return join.result;
    }

    void leave(RoomRef room, String deviceId) {
        batcher.add(new Leave(room, deviceId));
    }

    /** The node hosts members of {@code room} now, or no longer. */
    void hosting(RoomRef room, boolean hosting) {
        batcher.add(new Hosting(room, hosting));
    }

    /** Completes when every change recorded so far is written. */
    public CompletableFuture<Void> flush() {
        return batcher.flush();
    }

    /**
     * Removes the memberships an earlier run of this node left behind (its connections are gone). Runs before the
     * node accepts connections; bounded by {@code timeout}.
     */
    public void purgeLeftovers(Duration timeout) {
        try {
            Integer rooms = redis.opsForSet().members(RedisKeys.nodeRooms(nodeId))
                    .concatMap(key -> {
                        RoomRef room = RoomRef.parse(key);
                        return room == null ? Mono.empty() : purge(room).thenReturn(1);
                    })
                    .reduce(0, Integer::sum)
                    .flatMap(count -> redis.delete(RedisKeys.nodeRooms(nodeId)).thenReturn(count))
                    .block(timeout);
            if (rooms != null && rooms > 0) {
                log.info("removed the room members an earlier run of node {} left in {} rooms", nodeId, rooms);
            }
        } catch (RuntimeException e) {
            log.warn("could not remove the room members an earlier run of node {} left; the chatroom-service "
                    + "removes them when the node is down: {}", nodeId, e.toString());
        }
    }

    private Mono<Void> purge(RoomRef room) {
        List<String> keys = List.of(RedisKeys.roomMembers(room.appId(), room.roomId()),
                RedisKeys.roomNodes(room.appId(), room.roomId()),
                RedisKeys.roomNodeMembers(room.appId(), room.roomId(), nodeId));
        return RoomRedis.run(redis, PURGE, keys, List.of(nodeId, String.valueOf(PURGE_CHUNK)))
                .repeat()
                .takeUntil(result -> result.size() < 2 || "0".equals(result.get(1)))
                .then();
    }

    private Mono<Void> write(List<Change> changes) {
        Map<String, Change> latest = new LinkedHashMap<>();
        for (Change change : changes) {
            Change previous = latest.remove(change.key());
            if (previous instanceof Join superseded) {
                if (change instanceof Join newer) {
                    newer.result.whenComplete((joined, error) -> superseded.result.complete(Joined.SUPERSEDED));
                } else {
                    superseded.result.complete(Joined.SUPERSEDED);
                }
            }
            latest.put(change.key(), change);
        }
        long now = System.currentTimeMillis();
        List<Mono<?>> commands = new ArrayList<>(latest.size() * 2 + 1);
        List<Join> joins = new ArrayList<>();
        boolean hostsAdded = false;
        for (Change change : latest.values()) {
            if (change instanceof Join join) {
                joins.add(join);
                commands.add(joinCommand(join, now));
                commands.add(redis.opsForZSet().add(RedisKeys.rooms(join.room.appId()), join.room.roomId(), now));
            } else if (change instanceof Leave leave) {
                RoomRef r = leave.room;
                commands.add(RoomRedis.run(redis, LEAVE, List.of(RedisKeys.roomMembers(r.appId(), r.roomId()),
                        RedisKeys.roomNodes(r.appId(), r.roomId()),
                        RedisKeys.roomNodeMembers(r.appId(), r.roomId(), nodeId)), List.of(leave.deviceId, nodeId)));
            } else if (change instanceof Hosting hosting) {
                if (hosting.hosting) {
                    commands.add(redis.opsForSet().add(RedisKeys.nodeRooms(nodeId), hosting.room.key()));
                    hostsAdded = true;
                } else {
                    commands.add(redis.opsForSet().remove(RedisKeys.nodeRooms(nodeId), hosting.room.key()));
                }
            }
        }
        if (hostsAdded) {
            commands.add(redis.opsForSet().add(RedisKeys.roomHosts(cell), nodeId));
        }
        // Subscribing to all at once sends every command before the first reply: one pipelined round.
        return Flux.fromIterable(commands)
                .flatMapSequential(command -> command, Math.max(1, commands.size()))
                .then()
                .retryWhen(Retry.backoff(WRITE_ATTEMPTS - 1, Duration.ofMillis(50)))
                .onErrorResume(error -> {
                    log.error("could not record {} room membership changes of node {}", latest.size(), nodeId, error);
                    joins.forEach(join -> join.result.completeExceptionally(error));
                    return Mono.empty();
                });
    }

    private Mono<Void> joinCommand(Join join, long now) {
        RoomRef r = join.room;
        Mono<List<String>> recorded = RoomRedis.run(redis, JOIN, List.of(RedisKeys.roomMembers(r.appId(), r.roomId()),
                RedisKeys.roomNodes(r.appId(), r.roomId()), RedisKeys.roomNodeMembers(r.appId(), r.roomId(), nodeId),
                RedisKeys.roomBans(r.appId(), r.roomId()), RedisKeys.roomSeq(r.appId(), r.roomId())),
                List.of(join.deviceId, nodeId, String.valueOf(now)));
        Mono<List<RoomMessage>> history = join.historyLimit <= 0 ? Mono.just(List.of())
                : redis.opsForStream().reverseRange(RedisKeys.roomHistory(r.appId(), r.roomId()), Range.unbounded(),
                                Limit.limit().count(join.historyLimit))
                        .mapNotNull(entry -> historyEntry(entry, now))
                        .collectList()
                        .map(newestFirst -> {
                            List<RoomMessage> oldestFirst = new ArrayList<>(newestFirst);
                            java.util.Collections.reverse(oldestFirst);
                            return oldestFirst;
                        });
        return Mono.zip(recorded, history).doOnNext(both -> {
            List<String> result = both.getT1();
            if (!result.isEmpty() && "banned".equals(result.get(0))) {
                join.result.complete(new Joined(Long.parseLong(result.get(1)), 0, 0, List.of()));
            } else {
                join.result.complete(new Joined(0, Long.parseLong(result.get(1)), Long.parseLong(result.get(2)),
                        both.getT2()));
            }
        }).then();
    }

    private RoomMessage historyEntry(MapRecord<String, Object, Object> entry, long now) {
        try {
            Object expires = entry.getValue().get("e");
            if (expires != null && Long.parseLong(expires.toString()) <= now) {
                return null;
            }
            RoomMessage message = json.readValue(String.valueOf(entry.getValue().get("d")), RoomMessage.class);
            return message.withSeq(Long.parseLong(String.valueOf(entry.getValue().get("s"))));
        } catch (RuntimeException e) {
            log.warn("history entry {} is not a room message; skipped: {}", entry.getId(), e.toString());
            return null;
        }
    }

    private sealed interface Change permits Join, Leave, Hosting {
        String key();
    }

    private record Join(RoomRef room, String deviceId, int historyLimit, CompletableFuture<Joined> result)
            implements Change {
        @Override
        public String key() {
            return "m\n" + room.key() + "\n" + deviceId;
        }
    }

    private record Leave(RoomRef room, String deviceId) implements Change {
        @Override
        public String key() {
            return "m\n" + room.key() + "\n" + deviceId;
        }
    }

    private record Hosting(RoomRef room, boolean hosting) implements Change {
        @Override
        public String key() {
            return "h\n" + room.key();
        }
    }
}
