package dev.herald.dispatcher.intake;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.StringCodec;
import java.net.SocketAddress;

/**
 * The intake consumer's own Redis connection, opened from the application's Lettuce client (same
 * servers, credentials and options). XREADGROUP BLOCK holds a connection for up to its timeout, so it
 * must never run on the shared connection every other command is pipelined on.
 */
final class DedicatedConnection implements AutoCloseable {

    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisStreamCommands<String, String> sync;
    private final RedisStreamAsyncCommands<String, String> async;
    private final RedisConnectionStateListener reconnects;

    private DedicatedConnection(AbstractRedisClient client, StatefulConnection<String, String> connection,
                                RedisStreamCommands<String, String> sync, RedisStreamAsyncCommands<String, String> async,
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
    static DedicatedConnection open(AbstractRedisClient client, Runnable onReconnect) {
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

    /** Blocking commands; only the consumer thread uses them. */
    RedisStreamCommands<String, String> sync() {
        return sync;
    }

    /** For issuing several commands at once (pipelined) before awaiting them. */
    RedisStreamAsyncCommands<String, String> async() {
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
