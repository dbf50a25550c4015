package dev.herald.chatroom.room;

import dev.herald.chatroom.ChatroomProperties;
import dev.herald.chatroom.membership.RoomScriptRunner;
import dev.herald.core.app.App;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomApi;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomPost;
import dev.herald.room.RoomScripts;
import dev.herald.protocol.MessageId;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The room operations behind push-api's REST API: posts (appended to the room intake of the app's cell, ordered by
 * the sequencer like members' messages), room lists and counts (counters, no scans: {@code HLEN} and the room's
 * seq), member pages ({@code HSCAN}), history, kick (membership removed in Redis, the member's node told through its
 * delivery stream) and mute.
 */
@Component
final class RoomService implements DisposableBean {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> KICK = RoomScriptRunner.script(RoomScripts.KICK);

    private final ReactiveStringRedisTemplate redis;
    private final LettuceConnectionFactory connectionFactory;
    private final AppDirectory apps;
    private final JsonMapper json;
    private final ChatroomProperties properties;
    private volatile StatefulConnection<String, String> scanConnection;
    private volatile RedisClusterAsyncCommands<String, String> scan;

    RoomService(ReactiveStringRedisTemplate redis, LettuceConnectionFactory connectionFactory, AppDirectory apps,
                JsonMapper json, ChatroomProperties properties) {
        this.redis = redis;
        this.connectionFactory = connectionFactory;
        this.apps = apps;
        this.json = json;
        this.properties = properties;
    }

    Mono<RoomApi.Posted> post(String appId, String roomId, byte[] payload) {
        String cell = apps.find(appId).map(App::cell).orElse(properties.cell());
        RoomPost post = new RoomPost(MessageId.generate().toString(), appId, roomId, "", "", payload,
                System.currentTimeMillis());
        return redis.opsForStream()
                .add(StreamRecords.string(Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(post)))
                        .withStreamKey(RedisKeys.roomIntake(cell)))
                .thenReturn(new RoomApi.Posted(post.messageId()));
    }

    Mono<RoomApi.RoomSummary> summary(String appId, String roomId) {
        return Mono.zip(redis.opsForHash().size(RedisKeys.roomMembers(appId, roomId)),
                redis.opsForValue().get(RedisKeys.roomSeq(appId, roomId)).defaultIfEmpty("0"),
                redis.opsForZSet().score(RedisKeys.rooms(appId), roomId).defaultIfEmpty(0.0))
                .map(t -> new RoomApi.RoomSummary(roomId, t.getT1(), Long.parseLong(t.getT2()), t.getT3().longValue()));
    }

    /** The app's rooms, most recently active first; rooms empty and idle for longer than the history are dropped. */
    Mono<RoomApi.RoomList> list(String appId, int limit) {
        long idleBefore = System.currentTimeMillis() - properties.historyMaxAge().toMillis();
        return redis.opsForZSet().reverseRange(RedisKeys.rooms(appId), Range.closed(0L, (long) limit - 1))
                .flatMapSequential(roomId -> summary(appId, roomId))
                .filterWhen(room -> {
                    if (room.memberCount() > 0 || room.lastActivity() >= idleBefore) {
                        return Mono.just(true);
                    }
                    return redis.opsForZSet().remove(RedisKeys.rooms(appId), room.roomId()).thenReturn(false);
                })
                .collectList()
                .map(RoomApi.RoomList::new);
    }

    Mono<RoomApi.MemberPage> members(String appId, String roomId, String cursor, int limit) {
        RedisClusterAsyncCommands<String, String> commands = scanCommands();
        ScanCursor from = ScanCursor.of(cursor == null || cursor.isBlank() ? "0" : cursor);
        return Mono.fromCompletionStage(commands.hscan(RedisKeys.roomMembers(appId, roomId), from,
                        ScanArgs.Builder.limit(limit)))
                .map((MapScanCursor<String, String> page) -> {
                    List<RoomApi.Member> members = new ArrayList<>(page.getMap().size());
                    page.getMap().forEach((device, node) -> members.add(new RoomApi.Member(device, node)));
                    return new RoomApi.MemberPage(members, page.isFinished() ? null : page.getCursor());
                });
    }

    Mono<RoomApi.History> history(String appId, String roomId, int limit) {
        long now = System.currentTimeMillis();
        return redis.opsForStream().reverseRange(RedisKeys.roomHistory(appId, roomId), Range.unbounded(),
                        Limit.limit().count(limit))
                .mapNotNull(entry -> historyEntry(entry, now))
                .collectList()
                .map(newestFirst -> {
                    List<RoomMessage> oldestFirst = new ArrayList<>(newestFirst);
                    Collections.reverse(oldestFirst);
                    return new RoomApi.History(oldestFirst);
                });
    }

    private RoomMessage historyEntry(MapRecord<String, Object, Object> entry, long now) {
        Object expires = entry.getValue().get("e");
        if (expires != null && Long.parseLong(expires.toString()) <= now) {
            return null;
        }
        RoomMessage message = json.readValue(String.valueOf(entry.getValue().get("d")), RoomMessage.class);
        return message.withSeq(Long.parseLong(String.valueOf(entry.getValue().get("s"))));
    }

    /** Removes the member (and bans the device for {@code banSeconds}); false when it was not a member. */
    Mono<Boolean> kick(String appId, String roomId, String deviceId, long banSeconds) {
        String banUntil = banSeconds > 0 ? String.valueOf(System.currentTimeMillis() + banSeconds * 1000) : "0";
        return redis.<String, String>opsForHash().get(RedisKeys.roomMembers(appId, roomId), deviceId)
                .flatMap(node -> RoomScriptRunner.run(redis, KICK, List.of(RedisKeys.roomMembers(appId, roomId),
                                        RedisKeys.roomNodes(appId, roomId), RedisKeys.roomNodeMembers(appId, roomId, node),
                                        RedisKeys.roomBans(appId, roomId)), List.of(deviceId, node, banUntil))
                        .flatMap(result -> {
                            RoomDelivery removal = new RoomDelivery(List.of(), List.of(),
                                    List.of(new RoomDelivery.Removal(appId, roomId, deviceId)));
                            return redis.opsForStream().add(StreamRecords.string(
                                            Map.of(RedisKeys.ROOM_FIELD, json.writeValueAsString(removal)))
                                    .withStreamKey(RedisKeys.deliveries(node))).thenReturn("1".equals(result.get(0)));
                        }))
                .switchIfEmpty(Mono.defer(() -> banSeconds > 0
                        ? redis.opsForHash().put(RedisKeys.roomBans(appId, roomId), deviceId, banUntil).thenReturn(false)
                        : Mono.just(false)));
    }

    Mono<Long> mute(String appId, String roomId, String deviceId, long seconds) {
        long until = System.currentTimeMillis() + seconds * 1000;
        return redis.opsForHash().put(RedisKeys.roomMuted(appId, roomId), deviceId, String.valueOf(until))
                .thenReturn(until);
    }

    Mono<Boolean> unmute(String appId, String roomId, String deviceId) {
        return redis.opsForHash().remove(RedisKeys.roomMuted(appId, roomId), deviceId).map(removed -> removed > 0);
    }

    private RedisClusterAsyncCommands<String, String> scanCommands() {
        RedisClusterAsyncCommands<String, String> commands = scan;
        if (commands != null) {
            return commands;
        }
        synchronized (this) {
            if (scan == null) {
                AbstractRedisClient client = connectionFactory.getRequiredNativeClient();
                if (client instanceof RedisClient standalone) {
                    var c = standalone.connect(StringCodec.UTF8);
                    scanConnection = c;
                    scan = c.async();
                } else if (client instanceof RedisClusterClient cluster) {
                    var c = cluster.connect(StringCodec.UTF8);
                    scanConnection = c;
                    scan = c.async();
                } else {
                    throw new IllegalStateException("unsupported Redis client " + client.getClass().getName());
                }
            }
            return scan;
        }
    }

    @Override
    public void destroy() {
        StatefulConnection<String, String> c = scanConnection;
        if (c != null) {
            c.close();
        }
    }
}
