package dev.herald.ops.pools;

import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * A Reactor Netty connection pool of its own for one kind of outgoing HTTP traffic (the saver's internal
 * API, app callbacks), with its {@link HttpClient}. What Reactor Netty reports per remote address
 * ({@link ConnectionPoolMetrics}: idle, acquired) gives the idle and active columns; hooks on the client
 * count the rest: a new channel ({@code CONNECTED}) is a created connection, a failed acquisition a
 * create failure or an acquire time-out, a request error or a 5xx answer a call error, and the
 * eviction predicate counts connections it closes for being idle.
 */
public final class HttpClientPool implements ClientPool, AutoCloseable {

    private static final AttributeKey<Boolean> EVICTED = AttributeKey.valueOf("herald.pool.evicted");
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("herald.pool.counted");

    private final String name;
    private final long maxIdleMillis;
    private final PoolCounters counters = new PoolCounters();
    /** Reactor Netty keeps one pool per remote address; id → its metrics. */
    private final Map<String, AddressPool> addresses = new ConcurrentHashMap<>();
    private final ConnectionProvider provider;
    private final HttpClient client;

    private record AddressPool(SocketAddress address, ConnectionPoolMetrics metrics) {
    }

    public HttpClientPool(String name, HttpPoolSettings settings) {
        this.name = name;
        this.maxIdleMillis = settings.maxIdleTime().toMillis();
        this.provider = ConnectionProvider.builder("herald-" + name)
                .maxConnections(settings.maxConnections())
                .pendingAcquireTimeout(settings.acquireTimeout())
                .evictionPredicate(this::evict)
                .evictInBackground(settings.evictEvery())
                .metrics(true, () -> new ConnectionProvider.MeterRegistrar() {
                    @Override
                    public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
                                                ConnectionPoolMetrics metrics) {
                        addresses.put(id, new AddressPool(remoteAddress, metrics));
                    }

                    @Override
                    public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
                        addresses.remove(id);
                    }
                })
                .build();
        this.client = HttpClient.create(provider)
                .observe((connection, state) -> {
                    // Reported more than once for one channel (pool and client observers): count the channel once.
                    if (state == ConnectionObserver.State.CONNECTED
                            && connection.channel().attr(COUNTED).setIfAbsent(Boolean.TRUE) == null) {
                        counters.created();
                    }
                })
                // The acquisition: a new connection that cannot be made, or no free one in time.
                .mapConnect(connect -> connect.doOnError(this::acquireFailed))
                .doOnRequest((request, connection) -> counters.called())
                .doOnRequestError((request, error) -> counters.callFailed())
                .doOnResponseError((response, error) -> counters.callFailed())
                .doOnResponse((response, connection) -> {
                    if (response.status().code() >= 500) {
                        counters.callFailed();
                    }
                });
    }

    /** The client to build requests (or a {@code ReactorClientHttpConnector}) on; shares this pool. */
    public HttpClient httpClient() {
        return client;
    }

    private boolean evict(Connection connection, ConnectionProvider.ConnectionMetadata metadata) {
        if (!connection.channel().isActive()) {
            return true;
        }
        if (metadata.idleTime() >= maxIdleMillis) {
            // The predicate may be asked again about the same connection before it is closed: count it once.
            if (connection.channel().attr(EVICTED).setIfAbsent(Boolean.TRUE) == null) {
                counters.idleTimedOut();
            }
            return true;
        }
        return false;
    }

    private void acquireFailed(Throwable error) {
        // Reactor Pool's exceptions are shaded into Reactor Netty: match them by name.
        String type = error.getClass().getSimpleName();
        if (type.equals("PoolAcquireTimeoutException") || type.equals("PoolAcquirePendingLimitException")) {
            counters.acquireTimedOut();
        } else {
            counters.createFailed();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public PoolStats stats() {
        long idle = 0;
        long active = 0;
        TreeSet<String> targets = new TreeSet<>();
        for (AddressPool pool : addresses.values()) {
            idle += pool.metrics().idleSize();
            active += pool.metrics().acquiredSize();
            targets.add(describe(pool.address()));
        }
        String target = targets.isEmpty() ? "-" : targets.size() <= 3 ? String.join(",", targets) : targets.size() + " hosts";
        return counters.stats(name, kind(), target, idle, active);
    }

    private static String describe(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getHostString() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }

    @Override
    public void close() {
        provider.disposeLater().block(Duration.ofSeconds(5));
    }
}
