package dev.herald.ops.pools;

/**
 * One client pool at one moment, in the seed's eight columns (idle … QPS) plus what identifies it and
 * the total of calls QPS is derived from. Counts are since the process started.
 *
 * @param pool            the pool's name: {@code redis}, {@code saver}, {@code uplink-callbacks}, {@code zookeeper}
 * @param kind            {@code redis}, {@code http} or {@code zookeeper}
 * @param target          where it connects: {@code host:port}, several, or {@code -} before the first connection
 * @param idle            open connections with nothing in flight
 * @param active          connections in use (an HTTP connection acquired from the pool; a Redis connection
 *                        with a command in flight; the ZooKeeper session while connected)
 * @param created         connections established, reconnects included
 * @param createFailures  connection attempts that failed
 * @param acquireTimeouts callers that waited for a connection and gave up
 * @param callErrors      calls that failed once they had a connection
 * @param idleTimeouts    connections closed because they stayed idle too long
 * @param qps             calls per second over the last {@link CallRate#WINDOW_SECONDS} seconds
 * @param calls           calls made
 */
public record PoolStats(String pool, String kind, String target, long idle, long active, long created,
                        long createFailures, long acquireTimeouts, long callErrors, long idleTimeouts, double qps,
                        long calls) {
}
