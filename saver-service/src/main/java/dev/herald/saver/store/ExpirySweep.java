package dev.herald.saver.store;

import dev.herald.core.schedule.Periodic;
import dev.herald.core.schedule.PeriodicTask;
import dev.herald.core.redis.RedisKeys;
import dev.herald.saver.SaverProperties;
import dev.herald.saver.store.OfflineCommands.DueDevice;
import dev.herald.saver.store.OfflineCommands.SweptDevice;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Counts the pending entries that expire while their device stays away, whether or not it ever comes
 * back. Every device with pending unicasts is in the expiry index ({@code h:pending-due:{n}}, sharded),
 * scored by its earliest pending expiry. Every {@code expiry-sweep-interval} each saver claims up to
 * {@code expiry-sweep-batch} due devices per shard and removes and counts their expired entries, so an
 * entry is counted within about one interval of its expiry while the expiries per interval stay below
 * {@value RedisKeys#PENDING_DUE_SHARDS} × batch per saver; a larger wave is worked off oldest first.
 *
 * <p>Each tick is five pipelined rounds, each key in a script of its own slot: (1) claim the due devices
 * of every shard, moving them to a lease end so no other saver claims them meanwhile; (2) per device,
 * remove the expired entries and read the next expiry; (3) count them, one increment per message, and
 * put each device back at its next expiry (or out of the index when nothing is left); (4) read each
 * device's earliest entry again and (5) put the device back at it when it is earlier. Rounds 4 and 5 catch
 * a store that added an entry after round 2 but indexed it before round 3 overwrote the device's place.
 * A saver that dies mid-tick leaves its claimed devices at their lease end: they are swept again then.
 *
 * <p>An entry is counted once: it is counted by whoever removes it from its pending set (this sweep, the
 * backlog read of a device that came back, the removal of a vanished body), and removal is atomic.
 */
@Component
final class ExpirySweep implements Periodic {

    /** How long a claimed device is left alone: far longer than a tick takes, short enough to retry soon. */
    static final Duration LEASE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ExpirySweep.class);

    private final OfflineCommands redis;
    private final OfflineMetrics metrics;
    private final Clock clock;
    private final Duration interval;
    private final int batch;
    private final PeriodicTask schedule;

    ExpirySweep(OfflineCommands redis, OfflineMetrics metrics, SaverProperties properties, Clock clock) {
        this.redis = redis;
        this.metrics = metrics;
        this.clock = clock;
        this.interval = properties.expirySweepInterval();
        // A failed sweep leaves its claimed devices at their lease end; they are swept again then.
        this.schedule = new PeriodicTask("expiry sweep", interval, interval, this::sweep);
        this.batch = properties.expirySweepBatch();
    }

    /** One tick over every shard; emits the entries counted as expired. */
    Mono<Long> sweep() {
        return Mono.defer(() -> {
            long now = clock.millis();
            List<Mono<List<String>>> claims = new ArrayList<>(RedisKeys.PENDING_DUE_SHARDS);
            for (int shard = 0; shard < RedisKeys.PENDING_DUE_SHARDS; shard++) {
                claims.add(redis.claimDue(RedisKeys.pendingDueShard(shard), now, batch, now + LEASE.toMillis()));
            }
            return RedisRounds.all(claims).flatMap(claimed -> {
                List<DeviceRef> devices = new ArrayList<>();
                claimed.forEach(members -> members.forEach(m -> devices.add(parse(m))));
                return devices.isEmpty() ? Mono.just(0L) : sweep(devices, now);
            });
        });
    }

    private Mono<Long> sweep(List<DeviceRef> devices, long now) {
        return RedisRounds.all(devices.stream().map(d -> redis.sweepPending(d.appId(), d.deviceId(), now)).toList())
                .flatMap(swept -> {
                    ExpiredTally expired = new ExpiredTally();
                    List<Mono<Long>> round = new ArrayList<>();
                    for (int i = 0; i < devices.size(); i++) {
                        DeviceRef d = devices.get(i);
                        swept.get(i).expired().forEach(expired::add);
                        round.add(redis.rescheduleDue(RedisKeys.pendingDue(d.appId(), d.deviceId()),
                                RedisKeys.pendingDueMember(d.appId(), d.deviceId()), swept.get(i).nextExpiry()));
                    }
                    round.addAll(expired.increments(redis));
                    return RedisRounds.all(round)
                            .then(Mono.defer(() -> repairRacedStores(devices, swept)))
                            .then(Mono.fromSupplier(() -> {
                                metrics.expired(expired.total());
                                log.debug("Expiry sweep: {} devices, {} expired entries", devices.size(),
                                        expired.total());
                                return expired.total();
                            }));
                });
    }

    /** Rounds 4 and 5: a device whose earliest entry is now earlier than where round 3 put it goes back there. */
    private Mono<Void> repairRacedStores(List<DeviceRef> devices, List<SweptDevice> swept) {
        return RedisRounds.all(devices.stream().map(d -> redis.earliestPending(d.appId(), d.deviceId())).toList())
                .flatMap(earliest -> {
                    Map<String, List<DueDevice>> byShard = new HashMap<>();
                    for (int i = 0; i < devices.size(); i++) {
                        long first = earliest.get(i);
                        long placed = swept.get(i).nextExpiry();
                        if (first > 0 && (placed == 0 || first < placed)) {
                            DeviceRef d = devices.get(i);
                            byShard.computeIfAbsent(RedisKeys.pendingDue(d.appId(), d.deviceId()), s -> new ArrayList<>())
                                    .add(new DueDevice(RedisKeys.pendingDueMember(d.appId(), d.deviceId()), first));
                        }
                    }
                    List<Mono<Long>> round = new ArrayList<>(byShard.size());
                    byShard.forEach((shard, due) -> round.add(redis.indexDue(shard, due)));
                    return RedisRounds.all(round).then();
                });
    }

    /** {@code app:device}: app ids have no colon, device ids may. */
    private static DeviceRef parse(String member) {
        int colon = member.indexOf(':');
        return new DeviceRef(member.substring(0, colon), member.substring(colon + 1));
    }

    @Override
    public PeriodicTask task() {
        return schedule;
    }
}
