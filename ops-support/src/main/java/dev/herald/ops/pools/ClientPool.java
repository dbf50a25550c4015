package dev.herald.ops.pools;

/**
 * A pool of connections from this service to another (Redis, another service over HTTP, ZooKeeper),
 * reporting its {@link PoolStats}. Implementations count with {@link PoolCounters}; reading the stats is
 * cheap and never blocks.
 */
public interface ClientPool {

    /** The pool's name, unique in the service. */
    String name();

    /** {@code redis}, {@code http} or {@code zookeeper}. */
    String kind();

    PoolStats stats();
}
