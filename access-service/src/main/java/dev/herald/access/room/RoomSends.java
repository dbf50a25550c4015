package dev.herald.access.room;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomPost;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * Members' messages on their way to the room's sequencer: appended to the room intake of the app's cell
 * ({@code h:room-intake:{cell}}), sends within {@code herald.access.room.batch-window} in one pipelined round.
 * Each send waits here for its answer, which the sequencer writes to this node's delivery stream
 * ({@link RoomDelivery.SendResult}); the device then gets ROOM_ACK SENT or the ERROR of the outcome. A send not
 * answered within {@code send-timeout} gets ERROR ROOM_REJECTED.
 */
@Component
public final class RoomSends implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomSends.class);
    static final int MAX_BATCH = 256;
    /** One batch at a time: a member's messages reach the intake, and so the room's order, in the order sent. */
    private static final int MAX_IN_FLIGHT = 1;
    /** Bounds the intake while no sequencer reads it; a sequencer that far behind has lost its members anyway. */
    static final long INTAKE_MAX_LEN = 1_000_000;
    private static final XAddOptions CAPPED = XAddOptions.maxlen(INTAKE_MAX_LEN).approximateTrimming(true);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;
    private final AppDirectory apps;
    private final RoomMeters metrics;
    private final String nodeId;
    private final Duration timeout;
    private final Batcher<Waiting> batcher;
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    private volatile Disposable sweeper;

    public RoomSends(AccessProperties properties, ReactiveStringRedisTemplate redis, JsonMapper json, AppDirectory apps,
                     RoomMeters metrics) {
        this.redis = redis;
        this.json = json;
        this.apps = apps;
        this.metrics = metrics;
        this.nodeId = properties.nodeId();
        this.timeout = properties.room().sendTimeout();
        this.batcher = new Batcher<>("room send", properties.room().batchWindow(), MAX_BATCH, MAX_IN_FLIGHT,
                this::append, Schedulers.parallel());
    }

    /** A member's message, checked by the caller: appended to the intake, answered when ordered. */
    void send(Channel channel, int requestSeq, RoomMember member, byte[] payload) {
        MessageId id = MessageId.generate();
        RoomPost post = new RoomPost(id.toString(), member.room.appId(), member.room.roomId(), member.deviceId, nodeId,
                payload, System.currentTimeMillis());
        Waiting w = new Waiting(channel, requestSeq, post, System.nanoTime() + timeout.toNanos());
        waiting.put(post.messageId(), w);
        batcher.add(w);
    }

    private Mono<Void> append(List<Waiting> batch) {
        List<Mono<?>> commands = new ArrayList<>(batch.size());
        for (Waiting w : batch) {
            String cell = apps.find(w.post.appId()).map(App::cell).orElse("default");
            commands.add(redis.opsForStream()
                    .add(StreamRecords.string(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(w.post)))
                            .withStreamKey(RedisKeys.roomIntake(cell)), CAPPED)
                    .doOnError(error -> answer(w.post.messageId(), ErrorCode.ROOM_REJECTED,
                            "the message could not be stored; send it again")));
        }
        return Flux.fromIterable(commands)
                .flatMap(command -> command.onErrorResume(error -> Mono.empty()), Math.max(1, commands.size()))
                .then();
    }

    /** The sequencer's answer to a send of this node. */
    void result(RoomDelivery.SendResult result) {
        switch (result.outcome()) {
            case SENT -> {
                Waiting w = waiting.remove(result.messageId());
                if (w != null && w.channel.isActive()) {
                    metrics.roomSend("sent");
                    w.channel.writeAndFlush(new Frame.RoomAck(w.requestSeq, Frame.RoomAck.Kind.SENT, ErrorCode.OK,
                            result.appId(), result.roomId(), result.seq(), 0, MessageId.parse(result.messageId())),
                            w.channel.voidPromise());
                }
            }
            case MUTED -> answer(result.messageId(), ErrorCode.ROOM_MUTED, "you are muted in room " + result.roomId());
            case NOT_IN_ROOM -> answer(result.messageId(), ErrorCode.NOT_IN_ROOM,
                    "not a member of room " + result.roomId() + " when the message was ordered");
            case RATE_LIMITED -> answer(result.messageId(), ErrorCode.ROOM_RATE_LIMITED,
                    "room " + result.roomId() + " is over its send rate; send later");
        }
    }

    private void answer(String messageId, ErrorCode code, String message) {
        Waiting w = waiting.remove(messageId);
        if (w != null && w.channel.isActive()) {
            metrics.roomSend(code.name().toLowerCase(java.util.Locale.ROOT));
            w.channel.writeAndFlush(new Frame.ErrorFrame(w.requestSeq, code, message), w.channel.voidPromise());
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
            Waiting w = it.next();
            if (now - w.deadline >= 0) {
                answer(w.post.messageId(), ErrorCode.ROOM_REJECTED, "the room did not confirm the message within "
                        + timeout.toMillis() + " ms; it may or may not be delivered");
            }
        }
    }

    @Override
    public void start() {
        sweeper = Flux.interval(Duration.ofMillis(500)).onBackpressureDrop().subscribe(tick -> sweep());
    }

    @Override
    public void stop() {
        Disposable s = sweeper;
        if (s != null) {
            s.dispose();
            sweeper = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }

    private record Waiting(Channel channel, int requestSeq, RoomPost post, long deadline) {
    }
}
