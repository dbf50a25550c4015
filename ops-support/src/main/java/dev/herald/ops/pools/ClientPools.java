package dev.herald.ops.pools;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Every client pool of the service, for the {@code pools} endpoint and as meters
 * {@code herald.pool.*{pool, kind}}: gauges {@code idle}, {@code active}, {@code qps}; counters
 * {@code created.connections} (not {@code created}: Prometheus reserves the {@code _created} suffix),
 * {@code create.failures}, {@code acquire.timeouts}, {@code call.errors},
 * {@code idle.timeouts}, {@code calls}. Services create their HTTP pools here, so that each is counted
 * and closed with the context; the Redis and ZooKeeper clients are attached by the auto-configuration
 * ({@link RedisPool#attach}, {@link ZooKeeperPool#attach}). No Lettuce type appears here: the
 * config-server has no Redis.
 */
public final class ClientPools implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ClientPools.class);

    private final MeterRegistry meters;
    private final Map<String, ClientPool> pools = new ConcurrentHashMap<>();

    public ClientPools(MeterRegistry meters) {
        this.meters = meters;
    }

    /** A new HTTP pool named {@code name} (used in tags and the endpoint), closed with the context. */
    public HttpClientPool http(String name, HttpPoolSettings settings) {
        HttpClientPool pool = new HttpClientPool(name, settings);
        register(pool);
        return pool;
    }

    /** Adds a pool; its name must be new. */
    public void register(ClientPool pool) {
        if (pools.putIfAbsent(pool.name(), pool) != null) {
            throw new IllegalStateException("a client pool named " + pool.name() + " exists already");
        }
        Tags tags = Tags.of("pool", pool.name(), "kind", pool.kind());
        gauge("herald.pool.idle", "Open connections with nothing in flight", pool, tags, s -> s.idle());
        gauge("herald.pool.active", "Connections in use", pool, tags, s -> s.active());
        gauge("herald.pool.qps", "Calls per second over the last 10 seconds", pool, tags, PoolStats::qps);
        counter("herald.pool.created.connections", "Connections established, reconnects included", pool, tags, s -> s.created());
        counter("herald.pool.create.failures", "Connection attempts that failed", pool, tags, s -> s.createFailures());
        counter("herald.pool.acquire.timeouts", "Callers that waited for a connection and gave up", pool, tags,
                s -> s.acquireTimeouts());
        counter("herald.pool.call.errors", "Calls that failed once they had a connection", pool, tags, s -> s.callErrors());
        counter("herald.pool.idle.timeouts", "Connections closed because they stayed idle too long", pool, tags,
                s -> s.idleTimeouts());
        counter("herald.pool.calls", "Calls made", pool, tags, s -> s.calls());
    }

    private void gauge(String name, String description, ClientPool pool, Tags tags, ToDoubleFunction<PoolStats> value) {
        Gauge.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(tags).register(meters);
    }

    private void counter(String name, String description, ClientPool pool, Tags tags, ToDoubleFunction<PoolStats> value) {
        FunctionCounter.builder(name, pool, p -> value.applyAsDouble(p.stats())).description(description).tags(tags)
                .register(meters);
    }

    /** The stats of every pool, by name. */
    public List<PoolStats> stats() {
        List<PoolStats> all = new ArrayList<>();
        for (ClientPool pool : pools.values()) {
            all.add(pool.stats());
        }
        all.sort((a, b) -> a.pool().compareTo(b.pool()));
        return all;
    }

    @Override
    public void destroy() {
        for (ClientPool pool : pools.values()) {
            if (pool instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log.warn("closing client pool {} failed: {}", pool.name(), e.toString());
                }
            }
        }
        pools.clear();
    }
}
