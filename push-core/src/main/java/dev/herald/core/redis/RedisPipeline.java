package dev.herald.core.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.Disposable;

/**
 * A Redis connection for the hot path's batches: the commands a caller issues in one {@link #submit} leave
 * in one socket write, instead of one write (and one reply chain through Reactor) per command. Many threads
 * may submit at once; a flush sends whatever is queued, so commands of concurrent batches only leave
 * earlier, never later, and the connection keeps the order they were issued in (a status hash written
 * before its intake entry exists before the entry can be read).
 *
 * <p>Opened from the application's Lettuce client, so it has the same servers, credentials, command
 * timeout and command listeners (pool statistics) as every other connection of the service. It connects on
 * first use, like Spring's shared connection, so a service starts while Redis is down; a failed connect
 * fails that batch with Lettuce's {@code RedisConnectionException} and the next batch tries again. Once
 * connected, Lettuce reconnects by itself.
 */
public final class RedisPipeline implements AutoCloseable {

    private static final int PRELOAD_WAIT_SECONDS = 2;

    private final Supplier<AbstractRedisClient> client;
    private final List<LuaScript> scripts;
    private final Object lock = new Object();
    private volatile Connected connected;
    private boolean closed;

    private record Connected(StatefulConnection<String, String> connection,
                             RedisClusterAsyncCommands<String, String> commands, Disposable reconnectFlush) {

        void close() {
            reconnectFlush.dispose();
            connection.close();
        }

        boolean isClosed() {
            return connection instanceof RedisChannelHandler<?, ?> handler ? handler.isClosed() : !connection.isOpen();
        }
    }

    /**
     * @param client  the application's Lettuce client, asked for on first use
     * @param scripts scripts loaded into Redis's script cache when the connection opens, so that their first
     *                EVALSHA finds them (see {@link LuaScript})
     */
    public RedisPipeline(Supplier<AbstractRedisClient> client, LuaScript... scripts) {
        this.client = client;
        this.scripts = List.of(scripts);
    }

    /**
     * Runs {@code batch}, which issues commands and returns what awaits them (their futures, combined), then
     * sends every queued command in one write.
     */
    public <T> T submit(Function<RedisClusterAsyncCommands<String, String>, T> batch) {
        Connected c = connected();
        try {
            return batch.apply(c.commands());
        } finally {
            c.connection().flushCommands();
        }
    }

    /**
     * Whether commands on any keys run in the order they were issued: true on one Redis server (one connection),
     * false on a Redis Cluster, where only commands to the same node (the same slot, say) keep their order.
     * A caller that needs a write on one key to land before a write on another awaits the first when false.
     */
    public boolean ordersAllKeys() {
        return !(connected().connection() instanceof StatefulRedisClusterConnection<?, ?>);
    }

    /**
     * Whether {@code commands} go to one Redis server, where a script may touch keys of any slot; false for a
     * Redis Cluster's, where a script's keys must share one slot (so one script per device, whose keys share its
     * hash tag).
     */
    public static boolean oneServer(RedisClusterAsyncCommands<?, ?> commands) {
        return !(commands instanceof io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands<?, ?>);
    }

    /**
     * Completes when every one of {@code commands} has, and fails as soon as one fails. A connection reset fails
     * only the command Redis was answering; Lettuce queues the others again for after the reconnect, where
     * waiting for them would hold the caller for up to the command timeout.
     */
    public static CompletableFuture<Void> allOf(CompletableFuture<?>... commands) {
        CompletableFuture<Void> all = CompletableFuture.allOf(commands);
        for (CompletableFuture<?> command : commands) {
            command.whenComplete((value, error) -> {
                if (error != null) {
                    all.completeExceptionally(error);
                }
            });
        }
        return all;
    }

    private Connected connected() {
        Connected c = connected;
        if (c != null && !c.isClosed()) {
            return c;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the Redis pipeline is closed");
            }
            // Closed under us: Spring stopped the connection factory (a paused context), whose restart makes
            // a new client. A connection that lost Redis is not closed: it reconnects by itself, and opening
            // another beside it would leave it connected and unused once Redis is back.
            if (connected == null || connected.isClosed()) {
                if (connected != null) {
                    connected.reconnectFlush().dispose();
                }
                connected = open(client.get());
                preload(connected.commands());
            }
            return connected;
        }
    }

    /**
     * Loads the scripts, bounded by a short wait: a failure here costs nothing but one EVAL with the text later
     * ({@link LuaScript}), so it is not an error.
     */
    private void preload(RedisClusterAsyncCommands<String, String> commands) {
        if (scripts.isEmpty()) {
            return;
        }
        CompletableFuture<?>[] loads = scripts.stream()
                .map(script -> commands.scriptLoad(script.text()).toCompletableFuture())
                .toArray(CompletableFuture<?>[]::new);
        commands.flushCommands();
        try {
            CompletableFuture.allOf(loads).get(PRELOAD_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Redis unreachable for now: the scripts are sent with their text when first used.
        }
    }

    private Connected open(AbstractRedisClient client) {
        DedicatedConnection opened = DedicatedConnection.open(client);
        StatefulConnection<String, String> connection = opened.connection();
        // Only submit() issues commands on this connection, and it flushes after every batch.
        connection.setAutoFlushCommands(false);
        // A flush while Redis is unreachable sends nothing and Lettuce replays only auto-flushed commands on
        // reconnect: without this, a batch issued during an outage would wait for the next batch's flush, or
        // time out if none came. Activations of the client's other connections flush too; an empty flush is free.
        // A restarted Redis has an empty script cache: the scripts go again, ahead of the next batch.
        RedisClusterAsyncCommands<String, String> commands = opened.async();
        Disposable reconnectFlush = client.getResources().eventBus().get()
                .filter(ConnectionActivatedEvent.class::isInstance)
                .subscribe(activated -> {
                    scripts.forEach(script -> commands.scriptLoad(script.text()));
                    connection.flushCommands();
                });
        return new Connected(connection, commands, reconnectFlush);
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (connected != null) {
                connected.close();
                connected = null;
            }
        }
    }
}
