package dev.herald.core.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * A string connection of its own, opened from the application's Lettuce client (standalone or Cluster): same
 * servers, credentials, options and command listeners. For work that must not share Spring's connection, where
 * every other command is pipelined: a blocking stream read holds its connection for up to its BLOCK, a pipeline
 * is flushed by hand.
 */
public final class DedicatedConnection implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisConnectionStateListener reconnects;

    private DedicatedConnection(AbstractRedisClient client, StatefulConnection<String, String> connection,
                                RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
                                Runnable onReconnect) {
        this.client = client;
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.reconnects = onReconnect == null ? null : new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (handler == connection) {
                    onReconnect.run();
                }
            }
        };
        if (reconnects != null) {
            client.addListener(reconnects);
        }
    }

    public static DedicatedConnection open(AbstractRedisClient client) {
        return open(client, null);
    }

    /** @param onReconnect runs (on a Lettuce thread) each time Lettuce re-establishes this connection; may be null */
    public static DedicatedConnection open(AbstractRedisClient client, Runnable onReconnect) {
        if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8);
            return new DedicatedConnection(client, c, c.sync(), c.async(), onReconnect);
        }
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            return new DedicatedConnection(client, c, c.sync(), c.async(), onReconnect);
        }
        throw new IllegalStateException("unsupported Lettuce client " + client.getClass().getName());
    }

    public StatefulConnection<String, String> connection() {
        return connection;
    }

    public RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /** For issuing several commands at once (pipelined) before awaiting them. */
    public RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /** The shared command timeout (spring.data.redis.timeout) may be shorter than a read's BLOCK. */
    public void setTimeout(Duration timeout) {
        connection.setTimeout(timeout);
    }

    /** Aborts a blocked read from another thread: the read fails at once instead of running out its BLOCK. */
    public void abort() {
        connection.closeAsync();
    }

    @Override
    public void close() {
        if (reconnects != null) {
            client.removeListener(reconnects);
        }
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
