package dev.herald.e2e;

/** {@link ApiAuthenticationTest} on Redis Cluster: nonces of signed requests (replay refusal) and send limits. */
@OnRedisCluster
class ApiAuthenticationOnRedisClusterTest extends ApiAuthenticationTest {
}
