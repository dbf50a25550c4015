package dev.herald.access.route;

import dev.herald.access.AccessProperties;
import dev.herald.access.batch.Batcher;
import dev.herald.access.session.DeviceKey;
import dev.herald.access.session.RouteRecorder;
import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Writes this node's routes {@code h:route:{app:device} → nodeId} to Redis in batches: devices that
 * connect or leave within {@code route-batch-window} share one pipelined round of commands. Removal
 * is compare-and-delete, so a route another node has taken over since is left alone.
 *
 * <p>Batches go out one at a time and in order, and within a batch only the last change of each
 * device counts, so a device that leaves and comes back never ends up without a route. {@link #online}
 * completes when the device's batch is in Redis: the transports answer CONNACK OK only then.
 *
 * <p>The same round reads the token revocation {@code h:revoked:{app:device}} of each device that comes
 * online (same hash tag as its route), right after setting the route: the CONNECT's revocation check costs
 * no round trip of its own. Reading after the write matters: a revocation this read misses was stored after
 * the route, so push-api, which reads the route after storing the revocation, finds this node and has the
 * connection closed.
 */
@Component
public final class RouteTable implements RouteRecorder {

    private static final Logger log = LoggerFactory.getLogger(RouteTable.class);

    /** Most route changes in one batch; a refresh chunk counts as one change. */
    static final int MAX_BATCH = 512;
    private static final int WRITE_ATTEMPTS = 3;

    private static final RedisScript<Long> DELETE_IF_OURS = RedisScript.of("""
            if redis.call('get', KEYS[1]) == ARGV[1] then
              return redis.call('del', KEYS[1])
            end
            return 0
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final String nodeId;
    private final Duration ttl;
    private final Batcher<Change> batcher;

    public RouteTable(AccessProperties properties, ReactiveStringRedisTemplate redis) {
        this.redis = redis;
        this.nodeId = properties.nodeId();
        this.ttl = properties.routeTtl();
        this.batcher = new Batcher<>("route", properties.routeBatchWindow(), MAX_BATCH, 1, this::write,
                Schedulers.parallel());
    }

    @Override
    public CompletableFuture<Long> online(String appId, String deviceId) {
        Online online = new Online(new DeviceKey(appId, deviceId), new CompletableFuture<>());
        // write() settles it; this only catches a batch that ended without a word (then a no-op otherwise).
        batcher.add(online).whenComplete((done, error) -> online.written().completeExceptionally(
                new IllegalStateException("the route batch ended without writing the route of " + online.device())));
        return online.written();
    }

    @Override
    public void offline(String appId, String deviceId) {
        batcher.add(new Offline(new DeviceKey(appId, deviceId)));
    }

    /**
     * Re-sets the routes of these devices (registered on this node when the caller looked), in order
     * with the connects and disconnects recorded around it.
     */
    public CompletableFuture<Void> refresh(List<DeviceKey> devices) {
        return batcher.add(new Refresh(List.copyOf(devices)));
    }

    /** Completes when every change recorded so far has been written. */
    public CompletableFuture<Void> flush() {
        return batcher.flush();
    }

    private Mono<Void> write(List<Change> changes) {
        // Last change of each device wins: SET then DEL of the same key in one pipeline would be
        // correct only if Redis saw them in order, and this way there is nothing to order.
        Map<DeviceKey, Boolean> latest = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change instanceof Online online) {
                latest.put(online.device(), Boolean.TRUE);
            } else if (change instanceof Offline offline) {
                latest.put(offline.device(), Boolean.FALSE);
            } else if (change instanceof Refresh refresh) {
                for (DeviceKey device : refresh.devices()) {
                    latest.put(device, Boolean.TRUE);
                }
            }
        }
        Map<DeviceKey, Long> revoked = new ConcurrentHashMap<>();
        Set<DeviceKey> connecting = new HashSet<>();
        for (Change change : changes) {
            if (change instanceof Online online) {
                connecting.add(online.device());
            }
        }
        List<Mono<?>> commands = new ArrayList<>(latest.size() + connecting.size());
        latest.forEach((device, online) -> {
            String key = RedisKeys.route(device.appId(), device.deviceId());
            commands.add(online
                    ? redis.opsForValue().set(key, nodeId, ttl)
                    : redis.execute(DELETE_IF_OURS, List.of(key), List.of(nodeId)).then());
            if (online && connecting.contains(device)) {
                // After the SET in the same pipeline (see the class comment); a refresh needs no read.
                commands.add(redis.opsForValue().get(RedisKeys.revoked(device.appId(), device.deviceId()))
                        .doOnNext(value -> revoked.put(device, revocationTime(value))));
            }
        });
        // Subscribing to all at once sends every command before the first reply: one pipelined round.
        return Flux.fromIterable(commands)
                .flatMap(command -> command, Math.max(1, commands.size()))
                .then()
                .retryWhen(Retry.backoff(WRITE_ATTEMPTS - 1, Duration.ofMillis(50)))
                .doOnSuccess(done -> settle(changes, revoked, null))
                .onErrorResume(error -> {
                    log.error("could not write {} routes of node {} after {} attempts; the next refresh re-sets them",
                            commands.size(), nodeId, WRITE_ATTEMPTS, error);
                    settle(changes, revoked, error);
                    return Mono.empty();
                });
    }

    /** A stored revocation time; a value that is not one (written by hand, say) revokes nothing. */
    private long revocationTime(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            log.warn("token revocation '{}' is not epoch milliseconds; ignored", value);
            return RouteRecorder.NOT_REVOKED;
        }
    }

    /**
     * Tells each device that came online in the batch whether its route is written ({@code error == null}), and
     * its revocation time. A device that left again within the batch gets none: its connection is gone.
     */
    private static void settle(List<Change> changes, Map<DeviceKey, Long> revoked, Throwable error) {
        for (Change change : changes) {
            if (change instanceof Online online) {
                if (error == null) {
                    online.written().complete(revoked.getOrDefault(online.device(), RouteRecorder.NOT_REVOKED));
                } else {
                    online.written().completeExceptionally(error);
                }
            }
        }
    }

    private sealed interface Change permits Online, Offline, Refresh {
    }

    /** @param written completed by {@link #write} once this batch is in Redis (or has failed for good) */
    private record Online(DeviceKey device, CompletableFuture<Long> written) implements Change {
    }

    private record Offline(DeviceKey device) implements Change {
    }

    private record Refresh(List<DeviceKey> devices) implements Change {
    }
}
