package dev.herald.chatroom.membership;

import dev.herald.core.schedule.Periodic;
import dev.herald.core.schedule.PeriodicTask;
import dev.herald.chatroom.ChatroomProperties;
import dev.herald.config.nodes.LiveNodes;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Removes the room members of access nodes that died, driven by their liveness ({@link LiveNodes}), not by a
 * timer per member: every {@code sweep-interval} it compares the cell's nodes that host room members
 * ({@code h:room-hosts:{cell}}) with the live ones; a node dead for {@code purge-grace} has its members removed
 * from each room it hosted ({@code h:node-rooms:{node}}), in chunks of {@value #CHUNK} so no script blocks Redis for
 * a whole large room. Liveness is checked again before each room, so a node that comes back is left alone.
 * Counted in {@code herald.chatroom.purge.nodes} and {@code herald.chatroom.purge.members}.
 */
@Component
public final class DeadNodeSweeper implements Periodic {

    private static final Logger log = LoggerFactory.getLogger(DeadNodeSweeper.class);
    static final int CHUNK = 500;
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> PURGE = RoomScriptRunner.script(RoomScripts.PURGE_NODE);

    private final ReactiveStringRedisTemplate redis;
    private final LiveNodes live;
    private final String hosts;
    private final Duration interval;
    private final long graceMillis;
    private final Counter purgedNodes;
    private final Counter purgedMembers;
    private final Map<String, Long> deadSince = new HashMap<>();
    private final PeriodicTask schedule;

    public DeadNodeSweeper(ReactiveStringRedisTemplate redis, LiveNodes live, ChatroomProperties properties,
                           MeterRegistry meters) {
        this.redis = redis;
        this.live = live;
        this.hosts = RedisKeys.roomHosts(properties.cell());
        this.interval = properties.sweepInterval();
        this.schedule = new PeriodicTask("dead node sweep", interval, interval, this::sweep);
        this.graceMillis = properties.purgeGrace().toMillis();
        this.purgedNodes = Counter.builder("herald.chatroom.purge.nodes")
                .description("Dead access nodes whose room members were removed").register(meters);
        this.purgedMembers = Counter.builder("herald.chatroom.purge.members")
                .description("Room members removed because their access node died").register(meters);
    }

    /** One sweep: purges the members of every host that has been dead for the grace period. */
    public Mono<Void> sweep() {
        return Mono.defer(() -> {
            if (!live.trustworthy()) {
                return Mono.empty();
            }
            return redis.opsForSet().members(hosts).collectList().flatMapMany(nodes -> {
                long now = System.currentTimeMillis();
                Set<String> alive = live.current();
                synchronized (deadSince) {
                    deadSince.keySet().retainAll(nodes);
                    deadSince.keySet().removeAll(alive);
                }
                return Flux.fromIterable(nodes).filter(node -> !alive.contains(node)).filter(node -> {
                    synchronized (deadSince) {
                        return now - deadSince.computeIfAbsent(node, n -> now) >= graceMillis;
                    }
                });
            }).concatMap(this::purge).then();
        });
    }

    /** Removes every room member recorded on {@code node}, unless it comes back meanwhile. */
    public Mono<Void> purge(String node) {
        String nodeRooms = RedisKeys.nodeRooms(node);
        return redis.opsForSet().members(nodeRooms)
                .concatMap(key -> {
                    RoomRef room = RoomRef.parse(key);
                    if (room == null || live.current().contains(node)) {
                        return Mono.just(0L);
                    }
                    return purgeRoom(room, node).flatMap(removed ->
                            redis.opsForSet().remove(nodeRooms, key).thenReturn(removed));
                })
                .reduce(0L, Long::sum)
                .flatMap(removed -> {
                    if (live.current().contains(node)) {
                        return Mono.empty();
                    }
                    purgedNodes.increment();
                    purgedMembers.increment(removed);
                    log.info("access node {} is dead: removed its {} room members", node, removed);
                    return redis.opsForSet().remove(hosts, node).then();
                });
    }

    private Mono<Long> purgeRoom(RoomRef room, String node) {
        List<String> keys = List.of(RedisKeys.roomMembers(room.appId(), room.roomId()),
                RedisKeys.roomNodes(room.appId(), room.roomId()),
                RedisKeys.roomNodeMembers(room.appId(), room.roomId(), node));
        return RoomScriptRunner.run(redis, PURGE, keys, List.of(node, String.valueOf(CHUNK)))
                .repeat()
                .takeUntil(result -> result.size() < 2 || "0".equals(result.get(1)))
                .map(result -> Long.parseLong(result.get(0)))
                .reduce(0L, Long::sum);
    }

    @Override
    public PeriodicTask task() {
        return schedule;
    }
}
