package dev.herald.core.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisKeysTest {

    /** The hash tag as Redis Cluster computes it: the text between the first '{' and the next '}'. */
    private static String tag(String key) {
        int open = key.indexOf('{');
        int close = key.indexOf('}', open + 1);
        return key.substring(open + 1, close);
    }

    @Test
    void allKeysOfOneDeviceShareASlot() {
        assertThat(tag(RedisKeys.route("demo", "phone-1")))
                .isEqualTo(tag(RedisKeys.pending("demo", "phone-1")))
                .isEqualTo(tag(RedisKeys.cursor("demo", "phone-1")))
                .isEqualTo(tag(RedisKeys.acknowledged("demo", "phone-1")))
                .isEqualTo("demo:phone-1");
    }

    @Test
    void broadcastKeysOfOneAppShareASlotAndMessageKeysShareTheirId() {
        assertThat(tag(RedisKeys.broadcastLog("demo"))).isEqualTo(tag(RedisKeys.broadcastSeq("demo"))).isEqualTo("demo");
        assertThat(tag(RedisKeys.body("01ABC"))).isEqualTo(tag(RedisKeys.status("01ABC"))).isEqualTo("01ABC");
    }

    @Test
    void uplinkKeysOfOneCellShareASlotAndDeadLettersAreKeyedByApp() {
        assertThat(RedisKeys.uplink("eu")).isEqualTo("h:uplink:{eu}");
        assertThat(RedisKeys.uplinkRetry("eu")).isEqualTo("h:uplink-retry:{eu}");
        assertThat(tag(RedisKeys.uplink("eu"))).isEqualTo(tag(RedisKeys.uplinkRetry("eu"))).isEqualTo("eu");
        assertThat(RedisKeys.uplinkDeadLetters("demo")).isEqualTo("h:uplink-dlq:{demo}");
    }

    @Test
    void requestNoncesAndSendLimitsOfAnAppShareItsSlot() {
        assertThat(RedisKeys.nonce("demo", "n0nce")).isEqualTo("h:nonce:{demo}:n0nce");
        assertThat(tag(RedisKeys.nonce("demo", "n0nce"))).isEqualTo(tag(RedisKeys.limits("demo"))).isEqualTo("demo");
    }

    @Test
    void theExpiryIndexIsShardedStablyAndNamesTheDeviceUnambiguously() {
        String shard = RedisKeys.pendingDue("demo", "phone:1");
        assertThat(shard).isEqualTo(RedisKeys.pendingDue("demo", "phone:1")).startsWith("h:pending-due:{");
        assertThat(Integer.parseInt(tag(shard))).isBetween(0, RedisKeys.PENDING_DUE_SHARDS - 1);
        // String.hashCode is specified, so every saver (and every JVM) picks the same shard.
        assertThat(shard).isEqualTo(RedisKeys.pendingDueShard(Math.floorMod("demo:phone:1".hashCode(), 16)));
        assertThat(RedisKeys.pendingDueMember("demo", "phone:1")).isEqualTo("demo:phone:1");
    }
}
