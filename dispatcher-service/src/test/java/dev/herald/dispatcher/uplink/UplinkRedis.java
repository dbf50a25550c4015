package dev.herald.dispatcher.uplink;

import dev.herald.core.message.UplinkDeadLetter;
import dev.herald.core.message.UplinkMessage;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The test's view of the uplink keys: appends uplinks as an access node does, reads retries and dead letters. */
final class UplinkRedis implements AutoCloseable {

    static final String CELL = "default";
    static final String STREAM = RedisKeys.uplink(CELL);
    static final String RETRY = RedisKeys.uplinkRetry(CELL);

    private final JsonMapper json = JsonMapper.builder().build();
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    UplinkRedis(RedisExtension redis) {
        client = RedisClient.create("redis://" + redis.host() + ":" + redis.port());
        connection = client.connect();
    }

    RedisCommands<String, String> sync() {
        return connection.sync();
    }

    static UplinkMessage uplink(String appId, String text) {
        return new UplinkMessage(MessageId.generate().toString(), appId, "device-1",
                text.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis(), "access-1");
    }

    /** XADD as the access node does; returns the entry id. */
    String append(UplinkMessage message) {
        return appendRaw(json.writeValueAsString(message));
    }

    String appendRaw(String document) {
        return sync().xadd(STREAM, Map.of(RedisKeys.STREAM_FIELD, document));
    }

    boolean streamHolds(String entryId) {
        return !sync().xrange(STREAM, Range.create(entryId, entryId)).isEmpty();
    }

    List<UplinkRetry> retries(String messageId) {
        return sync().zrangeWithScores(RETRY, 0, -1).stream()
                .map(ScoredValue::getValue)
                .map(member -> json.readValue(member, UplinkRetry.class))
                .filter(r -> r.message().id().equals(messageId))
                .toList();
    }

    List<UplinkDeadLetter> deadLetters(String appId) {
        return sync().xrange(RedisKeys.uplinkDeadLetters(appId), Range.create("-", "+")).stream()
                .map(m -> json.readValue(m.getBody().get(RedisKeys.STREAM_FIELD), UplinkDeadLetter.class))
                .toList();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
