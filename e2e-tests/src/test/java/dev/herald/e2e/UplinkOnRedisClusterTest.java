package dev.herald.e2e;

/** {@link UplinkTest} on Redis Cluster: the uplink stream, its consumer group, retries and dead letters. */
@OnRedisCluster
class UplinkOnRedisClusterTest extends UplinkTest {
}
