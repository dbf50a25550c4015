package dev.herald.e2e;

/**
 * {@link ChatroomTest} on Redis Cluster: the room scripts, sequencer lease, history and moderation keys of
 * many rooms spread over three masters. The burst runs at the size the cluster execution sets (e2e-tests/pom.xml).
 */
@OnRedisCluster
class ChatroomOnRedisClusterTest extends ChatroomTest {
}
