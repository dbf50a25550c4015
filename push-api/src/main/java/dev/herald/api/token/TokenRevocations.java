package dev.herald.api.token;

import dev.herald.core.app.TokenRevocation;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Revokes a device's tokens of one app: stores the revocation time at {@code h:revoked:{app:device}}, which every
 * access node reads in the round that writes a connecting device's route (so a token issued up to then is refused
 * at CONNECT), then tells the access nodes to close the device's connection if it logged in with such a token
 * ({@link TokenRevocation} in each node's {@code h:deliveries:{node}}, field {@code k}).
 *
 * <p>Every live node ({@code h:nodes}, heartbeat within the last minute) and the node of the device's route are told, not only the latter: a stolen
 * token may be connected on one node while the device itself, connected on another, holds the route. Revocations
 * are rare, so one stream entry per node costs nothing worth saving. The nodes' delivery streams rather than a
 * pub/sub channel: they are already how a node hears about its devices, in order and without a subscription to
 * keep alive, and an entry written while a node is briefly away from Redis is read when it comes back instead of
 * being lost. Reading the route after storing the revocation leaves no gap: a connect whose route round missed the
 * revocation wrote its route before it (see the access node's {@code RouteTable}), so this read finds that node.
 */
@Component
public final class TokenRevocations {

    /**
     * Nodes whose heartbeat ({@code herald.access.node-heartbeat}, 5 s) is older are not told: long gone, or their
     * streams would collect entries nobody reads. Generous, since telling a node too many costs nothing.
     */
    private static final Duration LIVE_WITHIN = Duration.ofMinutes(1);
    /** As the other writers of the node streams: bounded, approximately, so a dead node's stream cannot grow. */
    private static final XAddOptions CAPPED = XAddOptions.maxlen(100_000).approximateTrimming(true);

    private final ReactiveStringRedisTemplate redis;
    private final JsonMapper json;

    public TokenRevocations(ReactiveStringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    /**
     * Revokes every token of the device in the app issued at or before {@code revokedAtMillis}.
     *
     * @param keepFor how long the revocation is kept: at least the longest token lifetime, after which every token
     *                it covers has expired anyway
     * @return completes once the revocation is stored and the access nodes have been told
     */
    public Mono<Void> revoke(String appId, String deviceId, long revokedAtMillis, Duration keepFor) {
        Map<String, String> entry = Map.of(RedisKeys.REVOCATION_FIELD,
                json.writeValueAsString(new TokenRevocation(appId, deviceId, revokedAtMillis)));
        double liveSince = System.currentTimeMillis() - LIVE_WITHIN.toMillis();
        Mono<Set<String>> nodes = redis.opsForZSet()
                .rangeByScore(RedisKeys.LIVE_NODES, Range.rightUnbounded(Range.Bound.inclusive(liveSince)))
                .mergeWith(redis.opsForValue().get(RedisKeys.route(appId, deviceId)))
                .collect(Collectors.toCollection(TreeSet::new));
        return redis.opsForValue().set(RedisKeys.revoked(appId, deviceId), Long.toString(revokedAtMillis), keepFor)
                .then(nodes)
                .flatMapMany(Flux::fromIterable)
                .flatMap(node -> redis.opsForStream().add(
                        StreamRecords.string(entry).withStreamKey(RedisKeys.deliveries(node)), CAPPED))
                .then();
    }
}
