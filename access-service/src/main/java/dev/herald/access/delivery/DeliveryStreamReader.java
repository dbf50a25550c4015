package dev.herald.access.delivery;

import dev.herald.access.AccessProperties;
import dev.herald.access.room.RoomDeliveries;
import dev.herald.access.session.RevokedTokens;
import dev.herald.core.app.TokenRevocation;
import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.redis.DedicatedConnection;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.redis.stream.StreamConsumer;
import dev.herald.core.room.RoomDelivery;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Follows this node's delivery stream {@code h:deliveries:{nodeId}} with {@code XREAD BLOCK} and hands
 * each batch to the {@link DeliveryWriter} (pushes), {@link RoomDeliveries} (room messages) and {@link RevokedTokens}
 * (token revocations), in stream order. Starts after the entries present at start-up (they were
 * meant for connections of an earlier run of this node).
 *
 * <p>The blocking read runs on a {@link StreamConsumer}'s worker: its own thread and its own Redis connection, opened from the
 * application's Lettuce client (so it has the same address, credentials and TLS): on the shared
 * connection it would stall every other command of the node for up to a second at a time.
 */
@Component
public final class DeliveryStreamReader extends StreamConsumer {

    private static final Logger log = LoggerFactory.getLogger(DeliveryStreamReader.class);

    /** Starts before the TCP server (and stops after it), so no delivery for a new connection is missed. */
    public static final int PHASE = 900;
    static final Duration BLOCK = Duration.ofMillis(1000);
    static final int COUNT = 512;
    private static final TypeReference<List<DeliveryCommand>> COMMANDS = new TypeReference<>() {
    };
    private static final Duration COMMAND_TIMEOUT_MARGIN = Duration.ofSeconds(5);

    private final JsonMapper json;
    private final DeliveryWriter writer;
    private final RoomDeliveries rooms;
    private final RevokedTokens revocations;
    private final String nodeId;
    private final String stream;
    private final XReadArgs read = XReadArgs.Builder.block(BLOCK).count(COUNT);

    // the worker's (and start()'s, before its thread runs); null until the start-up position is known
    private String lastId;

    public DeliveryStreamReader(AccessProperties properties, LettuceConnectionFactory connectionFactory,
                                JsonMapper json, DeliveryWriter writer, RoomDeliveries rooms, RevokedTokens revocations) {
        super("herald-deliveries-" + properties.nodeId(), connectionFactory::getRequiredNativeClient,
                BLOCK.plus(COMMAND_TIMEOUT_MARGIN), PHASE, BLOCK.plusSeconds(1));
        this.json = json;
        this.writer = writer;
        this.rooms = rooms;
        this.revocations = revocations;
        this.nodeId = properties.nodeId();
        this.stream = RedisKeys.deliveries(nodeId);
    }

    /** A (re)start reads after the entries present then: they were meant for connections of an earlier run. */
    @Override
    protected void starting() {
        lastId = null;
    }

    /** The start-up position is read here, on the starting thread, before the TCP server starts (when Redis answers). */
    @Override
    public void setUp(DedicatedConnection connection) {
        if (lastId == null) {
            lastId = lastEntryId(connection);
            log.info("reading deliveries of node {} from {} after entry {}", nodeId, stream, lastId);
        }
    }

    @Override
    public void turn(DedicatedConnection connection) {
        List<StreamMessage<String, String>> entries = connection.sync().xread(read, XReadArgs.StreamOffset.from(stream, lastId));
        if (entries != null && !entries.isEmpty()) {
            lastId = entries.get(entries.size() - 1).getId();
            deliver(entries);
        }
    }

    /** The id of the newest entry, or {@code 0-0} when the stream is empty or absent. */
    private String lastEntryId(DedicatedConnection connection) {
        List<StreamMessage<String, String>> newest = connection.sync().xrevrange(stream, Range.create("-", "+"), Limit.create(0, 1));
        return newest.isEmpty() ? "0-0" : newest.get(0).getId();
    }

    /**
     * Hands the entries on in stream order: runs of delivery commands (an entry holds a dispatched batch's
     * commands for this node, field {@code c}, or one command, field {@code d}) to the {@link DeliveryWriter},
     * room deliveries (field {@code r}, written by the room sequencer) to {@link RoomDeliveries}, token revocations
     * (field {@code k}, written by push-api) to {@link RevokedTokens}.
     */
    private void deliver(List<StreamMessage<String, String>> entries) {
        List<DeliveryCommand> commands = new ArrayList<>(entries.size());
        for (StreamMessage<String, String> entry : entries) {
            String room = entry.getBody().get(RedisKeys.ROOM_FIELD);
            if (room != null) {
                if (!commands.isEmpty()) {
                    writer.deliver(commands);
                    commands = new ArrayList<>();
                }
                try {
                    rooms.deliver(json.readValue(room, RoomDelivery.class));
                } catch (JacksonException e) {
                    log.warn("entry {} of {} is not a room delivery; skipped: {}", entry.getId(), stream, e.getOriginalMessage());
                }
                continue;
            }
            String revocation = entry.getBody().get(RedisKeys.REVOCATION_FIELD);
            if (revocation != null) {
                if (!commands.isEmpty()) {
                    writer.deliver(commands);
                    commands = new ArrayList<>();
                }
                try {
                    revocations.revoked(json.readValue(revocation, TokenRevocation.class));
                } catch (JacksonException e) {
                    log.warn("entry {} of {} is not a token revocation; skipped: {}", entry.getId(), stream, e.getOriginalMessage());
                }
                continue;
            }
            String batch = entry.getBody().get(RedisKeys.DELIVERIES_FIELD);
            String document = entry.getBody().get(RedisKeys.STREAM_FIELD);
            if (batch == null && document == null) {
                log.warn("entry {} of {} has no field {} or {}; skipped", entry.getId(), stream,
                        RedisKeys.DELIVERIES_FIELD, RedisKeys.STREAM_FIELD);
                continue;
            }
            try {
                if (batch != null) {
                    commands.addAll(json.readValue(batch, COMMANDS));
                } else {
                    commands.add(json.readValue(document, DeliveryCommand.class));
                }
            } catch (JacksonException e) {
                log.warn("entry {} of {} is not a delivery command; skipped: {}", entry.getId(), stream, e.getOriginalMessage());
            }
        }
        if (!commands.isEmpty()) {
            writer.deliver(commands);
        }
    }
}
