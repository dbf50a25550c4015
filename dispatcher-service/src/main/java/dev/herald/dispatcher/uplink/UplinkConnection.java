package dev.herald.dispatcher.uplink;

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

/**
 * The callback worker's own Redis connection, opened from the application's Lettuce client. XREADGROUP
 * BLOCK holds a connection for up to its timeout, so it never runs on the shared connection; the worker's
 * other commands (retry set, dead letters, XACK) use this connection too, from the worker thread only.
 * (Same shape as the intake consumer's connection; kept apart so the two packages stay independent.)
 */
final class UplinkConnection implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> sync;
    private final RedisClusterAsyncCommands<String, String> async;
    private final RedisConnectionStateListener reconnects;

    private UplinkConnection(AbstractRedisClient client, StatefulConnection<String, String> connection,
                             RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async,
                             Runnable onReconnect) {
        this.client = client;
        this.connection = connection;
        this.sync = sync;
        this.async = async;
        this.reconnects = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
                if (handler == connection) {
                    onReconnect.run();
                }
            }
        };
        client.addListener(reconnects);
    }

    /** @param onReconnect runs (on a Lettuce thread) each time Lettuce re-establishes this connection */
    static UplinkConnection open(AbstractRedisClient client, Runnable onReconnect) {
        if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> c = standalone.connect(StringCodec.UTF8);
            return new UplinkConnection(client, c, c.sync(), c.async(), onReconnect);
        }
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            return new UplinkConnection(client, c, c.sync(), c.async(), onReconnect);
        }
        throw new IllegalStateException("unsupported Lettuce client " + client.getClass().getName());
    }

    RedisClusterCommands<String, String> sync() {
        return sync;
    }

    /** For issuing several commands at once (pipelined) before awaiting them. */
    RedisClusterAsyncCommands<String, String> async() {
        return async;
    }

    /** Aborts a blocked read from another thread: the read fails at once instead of running out its BLOCK. */
    void abort() {
        connection.closeAsync();
    }

    @Override
    public void close() {
        client.removeListener(reconnects);
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
