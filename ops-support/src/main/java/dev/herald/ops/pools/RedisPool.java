package dev.herald.ops.pools;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.command.CommandFailedEvent;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.lettuce.core.event.command.CommandSucceededEvent;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.Disposable;

/**
 * The service's Lettuce client as a pool. Lettuce multiplexes commands over a few long-lived connections
 * (the shared one, and dedicated ones for blocking stream reads) instead of lending connections out, so
 * the columns mean: open connections from the client's event bus (activated minus deactivated; each
 * activation, reconnects included, is a created connection; a failed reconnect a create failure);
 * active = connections busy, estimated as the commands in flight capped at the open connections; a
 * command that runs out of its timeout is an acquire time-out (the caller waited and got nothing), any
 * other failed command a call error. Lettuce never closes a connection for idleness: idle time-outs stay 0.
 *
 * <p>The {@link CommandListener} only sees connections opened after it was added, so it is added as soon
 * as the connection factory has made its client, before any connection exists.
 */
public final class RedisPool implements ClientPool, CommandListener, AutoCloseable {

    private final String name;
    private final String target;
    private final AbstractRedisClient client;
    private final PoolCounters counters = new PoolCounters();
    private final AtomicLong open = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final Disposable events;

    RedisPool(String name, String target, AbstractRedisClient client, ClientResources resources) {
        this.name = name;
        this.target = target;
        this.client = client;
        client.addListener(this);
        this.events = resources.eventBus().get().subscribe(this::onEvent);
    }

    /** Counts {@code client}'s connections and commands as the pool {@code name} of {@code pools}. */
    public static RedisPool attach(ClientPools pools, String name, String target, AbstractRedisClient client,
                                   ClientResources resources) {
        RedisPool pool = new RedisPool(name, target, client, resources);
        pools.register(pool);
        return pool;
    }

    private void onEvent(Event event) {
        if (event instanceof ConnectionActivatedEvent) {
            open.incrementAndGet();
            counters.created();
        } else if (event instanceof ConnectionDeactivatedEvent) {
            open.updateAndGet(n -> Math.max(0, n - 1));
        } else if (event instanceof ReconnectFailedEvent) {
            counters.createFailed();
        }
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        inFlight.incrementAndGet();
        counters.called();
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        inFlight.decrementAndGet();
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        inFlight.decrementAndGet();
        if (event.getCause() instanceof RedisCommandTimeoutException) {
            counters.acquireTimedOut();
        } else {
            counters.callFailed();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public PoolStats stats() {
        long connections = open.get();
        long busy = Math.min(connections, Math.max(0, inFlight.get()));
        return counters.stats(name, kind(), target, connections - busy, busy);
    }

    @Override
    public void close() {
        events.dispose();
        client.removeListener(this);
    }
}
