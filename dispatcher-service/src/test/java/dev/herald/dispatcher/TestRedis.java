package dev.herald.dispatcher;

import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.message.IntakeMessage;
import dev.herald.core.message.TargetKind;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The test's own view of Redis: writes intake entries as push-api does and reads what the dispatcher wrote. */
public final class TestRedis implements AutoCloseable {

    private static final TypeReference<List<DeliveryCommand>> COMMANDS = new TypeReference<>() {
    };

    public static final String CELL = "default";
    public static final String INTAKE = RedisKeys.intake(CELL);
    public static final String APP = "demo";

    private final JsonMapper json = JsonMapper.builder().build();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TestRedis(RedisExtension redis) {
        client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
        connection = client.connect();
    }

    public static TestRedis connect(RedisExtension redis) {
        return new TestRedis(redis);
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    public static IntakeMessage unicast(String device, boolean offline) {
        return message(TargetKind.DEVICE, List.of(device), offline, Duration.ofMinutes(1));
    }

    public static IntakeMessage multicast(List<String> devices, boolean offline) {
        return message(TargetKind.DEVICES, devices, offline, Duration.ofMinutes(1));
    }

    public static IntakeMessage broadcast(boolean offline) {
        return message(TargetKind.BROADCAST, List.of(), offline, Duration.ofMinutes(1));
    }

    public static IntakeMessage message(TargetKind kind, List<String> devices, boolean offline, Duration ttl) {
        long now = System.currentTimeMillis();
        return new IntakeMessage(MessageId.generate().toString(), APP, kind, devices,
                ("hello " + kind).getBytes(StandardCharsets.UTF_8), offline, now, now + ttl.toMillis());
    }

    /** Appends the message to the intake stream as push-api does; returns the entry id. */
    public String intake(IntakeMessage message) {
        return intakeRaw(json.writeValueAsString(message));
    }

    /** Appends the messages as one request's entry, as push-api does for a batch; returns the entry id. */
    public String intakeRequest(List<IntakeMessage> messages) {
        return sync().xadd(INTAKE, Map.of(RedisKeys.INTAKE_MESSAGES_FIELD, json.writeValueAsString(messages)));
    }

    public String intakeRaw(String document) {
        return sync().xadd(INTAKE, Map.of(RedisKeys.STREAM_FIELD, document));
    }

    /** Appends the message to the intake stream of {@code cell}. */
    public String intake(String cell, IntakeMessage message) {
        return sync().xadd(RedisKeys.intake(cell), Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(message)));
    }

    public void createGroup() {
        try {
            sync().xgroupCreate(XReadArgs.StreamOffset.from(INTAKE, "0"), RedisKeys.DISPATCHER_GROUP,
                    XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // fine
        }
    }

    /** Reads new intake entries as {@code consumerName} without acknowledging them. */
    public List<StreamMessage<String, String>> readAs(String consumerName) {
        return sync().xreadgroup(Consumer.from(RedisKeys.DISPATCHER_GROUP, consumerName),
                XReadArgs.StreamOffset.lastConsumed(INTAKE));
    }

    public void heartbeat(String node, long at) {
        sync().zadd(RedisKeys.LIVE_NODES, at, node);
    }

    public void route(String device, String node) {
        sync().set(RedisKeys.route(APP, device), node);
    }

    /** Every command written to the node's stream, in order (an entry holds a batch's commands for the node). */
    public List<DeliveryCommand> commands(String node) {
        return sync().xrange(RedisKeys.deliveries(node), Range.create("-", "+")).stream()
                .flatMap(m -> json.readValue(m.getBody().get(RedisKeys.DELIVERIES_FIELD), COMMANDS).stream())
                .toList();
    }

    /** How many entries the node's stream holds: one per dispatched batch that had commands for it. */
    public long deliveryEntries(String node) {
        return sync().xlen(RedisKeys.deliveries(node));
    }

    public List<DeliveryCommand> commands(String node, String messageId) {
        return commands(node).stream().filter(c -> c.messageId().equals(messageId)).toList();
    }

    public Map<String, String> status(String messageId) {
        return sync().hgetall(RedisKeys.status(messageId));
    }

    /** Holds every client's write commands (and whatever a client sent after one) until {@link #unpause()}. */
    public void pauseWrites() {
        sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("PAUSE").add(60_000).add("WRITE"));
    }

    public void unpause() {
        sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
    }

    /** The ids pending for the device in the offline store. */
    public List<String> pending(String device) {
        return sync().zrange(RedisKeys.pending(APP, device), 0, -1);
    }

    /** Whether the offline store holds the message's body. */
    public boolean bodyStored(String messageId) {
        return sync().exists(RedisKeys.body(messageId)) == 1;
    }

    /** The broadcast's seq in its app's log, 0 when it is not there. */
    public long broadcastSeq(String messageId) {
        Double seq = sync().zscore(RedisKeys.broadcastLog(APP), messageId);
        return seq == null ? 0 : seq.longValue();
    }

    public boolean intakePending(String entryId) {
        return !sync().xpending(INTAKE, RedisKeys.DISPATCHER_GROUP, Range.create(entryId, entryId), Limit.from(1)).isEmpty();
    }

    public boolean intakeHolds(String entryId) {
        return !sync().xrange(INTAKE, Range.create(entryId, entryId)).isEmpty();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
