package dev.herald.core.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;

/**
 * A string connection of its own, opened from the application's Lettuce client (standalone or Cluster), for
 * work that must not share Spring's connection: blocking stream reads, a pipeline flushed by hand.
 * It has the client's servers, credentials and command listeners.
 */
public record DedicatedConnection(StatefulConnection<String, String> connection,
                                  RedisClusterCommands<String, String> sync,
                                  RedisClusterAsyncCommands<String, String> async) {

    public static DedicatedConnection open(AbstractRedisClient client) {
        if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8);
            return new DedicatedConnection(c, c.sync(), c.async());
        }
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            return new DedicatedConnection(c, c.sync(), c.async());
        }
        throw new IllegalStateException("unsupported Lettuce client " + client.getClass().getName());
    }
}
