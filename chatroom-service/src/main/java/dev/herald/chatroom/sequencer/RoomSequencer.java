package dev.herald.chatroom.sequencer;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.chatroom.membership.RoomScriptRunner;
import dev.herald.config.nodes.LiveNodes;
import dev.herald.core.redis.DedicatedConnection;
import dev.herald.core.redis.stream.GroupReader;
import dev.herald.core.redis.stream.StreamConsumer;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomPost;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import dev.herald.core.room.SendOutcome;
import io.lettuce.core.Consumer;
import io.lettuce.core.StreamMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one order of every room of the cell. While this instance holds the {@link SequencerLease}, one thread reads
 * the cell's room intake ({@code h:room-intake:{cell}}, group and consumer {@code sequencer}) a batch at a time and:
 *
 * <ol>
 *   <li>checks each member's message against the room's send rate ({@link RoomRateLimits});</li>
 *   <li>orders the batch in one pipelined round of {@code RoomScripts.SEQUENCE}: per message, mute and membership
 *       checks, {@code INCR} of the room's seq, the history entry, and the nodes hosting the room now;</li>
 *   <li>writes one stream entry per access node ({@link FanoutPlan}): the node's rooms' messages and its senders'
 *       answers, one pipelined round of XADDs, so a message crosses services once per hosting node;</li>
 *   <li>acknowledges and deletes the intake entries.</li>
 * </ol>
 *
 * One batch at a time, so every node receives each room's messages in seq order. A batch that fails stays pending
 * and is read again (the consumer name is the same for every instance, so a new lease holder reads the old one's
 * pending entries); a message ordered before keeps its seq ({@code dup}) and members drop what they already have.
 * Metrics: {@code herald.chatroom.messages{result}}, {@code herald.chatroom.fanout.commands} (stream entries
 * written to nodes) and {@code herald.chatroom.fanout.deliveries} ((message, node) pairs in them).
 */
@Component
public final class RoomSequencer extends StreamConsumer {

    private static final Logger log = LoggerFactory.getLogger(RoomSequencer.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);
    private static final long NODE_STREAM_MAX_LEN = 100_000;
    private static final XAddOptions CAPPED = XAddOptions.maxlen(NODE_STREAM_MAX_LEN).approximateTrimming(true);
    private static final int RECENT_IDS = 1024;
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SEQUENCE = RoomScriptRunner.script(RoomScripts.SEQUENCE);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final SequencerLease lease;
    private final LiveNodes live;
    private final ChatroomProperties properties;
    private final String stream;
    private final Consumer<String> consumer = Consumer.from(RedisKeys.ROOM_SEQUENCER_GROUP, RedisKeys.ROOM_SEQUENCER_GROUP);
    private final RoomRateLimits limits;
    private final MeterRegistry meters;
    private final Counter commands;
    private final Counter deliveries;

    private final GroupReader reader;

    private volatile boolean active;
    // the worker thread's
    private long renewAt;

    public RoomSequencer(LettuceConnectionFactory connectionFactory, ReactiveStringRedisTemplate redis, JsonMapper json,
                         SequencerLease lease, LiveNodes live, ChatroomProperties properties, MeterRegistry meters) {
        super("herald-room-sequencer", connectionFactory::getRequiredNativeClient, READ_BLOCK.plusSeconds(5),
                SmartLifecycle.DEFAULT_PHASE - 100, READ_BLOCK.plus(ROUND_TIMEOUT));
        this.redis = redis;
        this.json = json;
        this.lease = lease;
        this.live = live;
        this.properties = properties;
        this.stream = RedisKeys.roomIntake(properties.cell());
        this.limits = new RoomRateLimits(properties.roomSendRate(), properties.roomSendBurst());
        // Every instance reads as the same consumer, so a new lease holder reads the old one's pending entries: nothing to claim.
        this.reader = new GroupReader(stream, consumer, null, properties.batchSize());
        this.meters = meters;
        this.commands = Counter.builder("herald.chatroom.fanout.commands")
                .description("Room delivery entries written to access nodes' streams (one per node per batch)")
                .register(meters);
        this.deliveries = Counter.builder("herald.chatroom.fanout.deliveries")
                .description("Room messages carried to access nodes: one per message per node hosting its room")
                .register(meters);
        Gauge.builder("herald.chatroom.sequencer.active", this, s -> s.active ? 1 : 0)
                .description("1 while this instance holds the cell's sequencer lease").register(meters);
    }

    @Override
    protected void starting() {
        renewAt = 0;
    }

    @Override
    public void setUp(DedicatedConnection connection) {
        reader.setUp(connection);
    }

    @Override
    public void finish() {
        active = false;
    }

    @Override
    protected void stopped() {
        lease.release();
        log.info("room sequencer of cell {} stopped", properties.cell());
    }

    /** Renews the lease when due; while it is held, reads and orders a batch as work in hand. */
    @Override
    public void turn(DedicatedConnection connection) {
        if (System.nanoTime() - renewAt >= 0) {
            boolean held = lease.acquireOrRenew();
            renewAt = System.nanoTime() + lease.renewEvery().toNanos();
            if (held && !active) {
                reader.setUp(connection); // the previous holder's pending entries first
                log.info("ordering the rooms of cell {} from {}", properties.cell(), stream);
            }
            active = held;
        }
        if (!active) {
            pause(lease.renewEvery());
            return;
        }
        List<StreamMessage<String, String>> entries = reader.read(connection, properties.batchSize(), READ_BLOCK);
        if (entries.isEmpty()) {
            return;
        }
        if (!lease.held()) {
            // Not sure the lease is still ours: leave the entries for whoever holds it.
            active = false;
            renewAt = 0;
            return;
        }
        inHand(() -> process(connection, entries));
    }

    private void process(DedicatedConnection connection, List<StreamMessage<String, String>> entries) {
        long now = System.currentTimeMillis();
        long nowNanos = System.nanoTime();
        List<RoomPost> posts = new ArrayList<>(entries.size());
        List<String> ids = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            ids.add(entry.getId());
            String document = entry.getBody().get(RedisKeys.STREAM_FIELD);
            try {
                posts.add(json.readValue(document, RoomPost.class));
            } catch (JacksonException | IllegalArgumentException e) {
                count("malformed", 1);
                log.warn("room intake entry {} is not a room post; dropped: {}", entry.getId(), e.toString());
            }
        }
        List<Mono<List<String>>> scripts = new ArrayList<>(posts.size());
        for (RoomPost post : posts) {
            if (post.fromDevice() && !limits.tryTake(post.room(), nowNanos)) {
                scripts.add(Mono.just(List.of("rate-limited")));
            } else {
                scripts.add(sequence(post, now));
            }
        }
        List<List<String>> results = Flux.fromIterable(scripts)
                .flatMapSequential(script -> script, Math.max(1, scripts.size()))
                .collectList()
                .block(ROUND_TIMEOUT);
        Set<String> liveNow = live.current();
        FanoutPlan plan = new FanoutPlan();
        Set<RoomRef> active = new HashSet<>();
        for (int i = 0; i < posts.size(); i++) {
            RoomPost post = posts.get(i);
            List<String> result = results.get(i);
            String outcome = result.isEmpty() ? "" : result.get(0);
            switch (outcome) {
                case "ok", "dup" -> {
                    plan.sequenced(post, Long.parseLong(result.get(1)), result.subList(2, result.size()), liveNow);
                    active.add(post.room());
                    count(outcome.equals("ok") ? "sequenced" : "duplicate", 1);
                }
                case "muted" -> refuse(plan, post, SendOutcome.MUTED);
                case "not-member" -> refuse(plan, post, SendOutcome.NOT_IN_ROOM);
                case "rate-limited" -> refuse(plan, post, SendOutcome.RATE_LIMITED);
                default -> throw new IllegalStateException("unexpected sequencing result " + result);
            }
        }
        Map<String, RoomDelivery> byNode = plan.deliveries();
        List<Mono<?>> writes = new ArrayList<>(byNode.size() + active.size());
        byNode.forEach((node, delivery) -> writes.add(redis.opsForStream().add(
                StreamRecords.string(Map.of(RedisKeys.ROOM_FIELD, json.writeValueAsString(delivery)))
                        .withStreamKey(RedisKeys.deliveries(node)), CAPPED)));
        for (RoomRef room : active) {
            writes.add(redis.opsForZSet().add(RedisKeys.rooms(room.appId()), room.roomId(), now));
        }
        Flux.fromIterable(writes).flatMap(write -> write, Math.max(1, writes.size())).then().block(ROUND_TIMEOUT);
        commands.increment(byNode.size());
        deliveries.increment(plan.messageDeliveries());
        connection.sync().xack(stream, RedisKeys.ROOM_SEQUENCER_GROUP, ids.toArray(new String[0]));
        connection.sync().xdel(stream, ids.toArray(new String[0]));
    }

    private Mono<List<String>> sequence(RoomPost post, long now) {
        RoomRef r = post.room();
        String document = json.writeValueAsString(new RoomMessage(post.appId(), post.roomId(), 0, post.messageId(),
                post.senderId(), post.sentAt(), post.payload()));
        long maxAge = properties.historyMaxAge().toMillis();
        return RoomScriptRunner.run(redis, SEQUENCE,
                List.of(RedisKeys.roomSeq(r.appId(), r.roomId()), RedisKeys.roomHistory(r.appId(), r.roomId()),
                        RedisKeys.roomNodes(r.appId(), r.roomId()), RedisKeys.roomMuted(r.appId(), r.roomId()),
                        RedisKeys.roomMembers(r.appId(), r.roomId()), RedisKeys.roomRecent(r.appId(), r.roomId())),
                List.of(post.messageId(), post.senderId(), String.valueOf(now), String.valueOf(properties.historySize()),
                        String.valueOf(now - maxAge), String.valueOf(maxAge), document, String.valueOf(RECENT_IDS),
                        String.valueOf(now + maxAge)));
    }

    private void refuse(FanoutPlan plan, RoomPost post, SendOutcome outcome) {
        plan.refused(post, outcome);
        count(outcome.name().toLowerCase(java.util.Locale.ROOT), 1);
    }

    private void count(String result, int n) {
        Counter.builder("herald.chatroom.messages").description("Room messages taken from the intake, by result")
                .tag("result", result).register(meters).increment(n);
    }

    /** Whether this instance is the cell's sequencer now. */
    public boolean active() {
        return active;
    }
}
