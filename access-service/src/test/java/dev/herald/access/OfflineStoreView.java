package dev.herald.access;

import dev.herald.core.redis.RedisKeys;
import java.time.Duration;
import java.util.List;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** What the node's ACKs left in the offline store (the offline-store library's keys), read by tests. */
final class OfflineStoreView {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private OfflineStoreView() {
    }

    /** The ids the device acknowledged (recently, for the dedup window) in the app. */
    static List<String> acked(ReactiveStringRedisTemplate redis, String appId, String deviceId) {
        return redis.opsForZSet().range(RedisKeys.acknowledged(appId, deviceId), Range.closed(0L, -1L))
                .collectList().block(WAIT);
    }

    /** The device's broadcast cursor in the offline store, 0 when it has none. */
    static long cursor(ReactiveStringRedisTemplate redis, String appId, String deviceId) {
        String cursor = redis.opsForValue().get(RedisKeys.cursor(appId, deviceId)).block(WAIT);
        return cursor == null ? 0 : Long.parseLong(cursor);
    }
}
