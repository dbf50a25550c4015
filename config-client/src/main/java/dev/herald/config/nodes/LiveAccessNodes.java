package dev.herald.config.nodes;

import dev.herald.config.zookeeper.BoundedCall;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.x.discovery.ServiceCache;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.details.ServiceCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access nodes of one cell that are registered right now, from a Curator {@link ServiceCache} on
 * {@code <root>/services/access.<cell>}. A node whose session expires leaves the set; while this
 * service's own connection is down the set stays as last seen. Reads are one volatile read.
 */
public final class LiveAccessNodes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveAccessNodes.class);

    private final ZooKeeperClient client;
    private final String cell;
    private final List<Consumer<Set<String>>> listeners = new CopyOnWriteArrayList<>();
    private final Object refreshLock = new Object();
    private volatile Map<String, AccessNode> nodes = Map.of();
    private ServiceDiscovery<AccessNode> discovery;
    private volatile ServiceCache<AccessNode> cache;

    public LiveAccessNodes(ZooKeeperClient client, String cell) {
        this.client = client;
        this.cell = cell;
    }

    /** Starts watching; waits at most {@code connection-timeout} for the first load. */
    public synchronized void start() {
        if (cache != null) {
            return;
        }
        discovery = AccessNodeRegistration.discovery(client);
        cache = discovery.serviceCacheBuilder().name(AccessNode.serviceName(cell)).build();
        cache.addListener(new ServiceCacheListener() {
            @Override
            public void cacheChanged() {
                refresh();
            }

            @Override
            public void stateChanged(CuratorFramework curator, ConnectionState state) {
                // The connection's state is the health indicator's business; the set stays as last seen.
            }
        });
        boolean published = false;
        try {
            discovery.start();
            CountDownLatch loaded = cache.startImmediate();
            if (loaded.await(client.properties().connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                published = publishRegistered();
            } else {
                log.warn("live access nodes of cell {} not loaded within {}; treating none as live until they are",
                        cell, client.properties().connectionTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot watch access nodes of cell " + cell, e);
        }
        if (!published) {
            refresh();
        }
    }

    /**
     * Publishes the nodes registered in ZooKeeper right now. The cache's "initialized" signal can come before
     * the events of nodes that already existed (seen: a node registered just before start() reached the
     * cache 34 ms after it), so the first set is read from ZooKeeper itself; the cache's events take over
     * from there. False when the read failed, and the cache's view is all there is.
     */
    private boolean publishRegistered() {
        // Under the lock: a cache event waiting for it publishes after this read, never before it.
        synchronized (refreshLock) {
            try {
                publish(discovery.queryForInstances(AccessNode.serviceName(cell)));
                return true;
            } catch (Exception e) {
                log.warn("cannot read the access nodes of cell {}; using the cache's view: {}", cell, e.toString());
                return false;
            }
        }
    }

    /** Called by the cache's thread and by {@link #start()}; each call publishes the cache's current state. */
    private void refresh() {
        synchronized (refreshLock) {
            ServiceCache<AccessNode> c = cache;
            if (c != null) {
                publish(c.getInstances());
            }
        }
    }

    private void publish(Collection<ServiceInstance<AccessNode>> instances) {
        Map<String, AccessNode> next = new HashMap<>();
        for (ServiceInstance<AccessNode> instance : instances) {
            if (instance.isEnabled() && instance.getPayload() != null) {
                next.put(instance.getId(), instance.getPayload());
            }
        }
        Map<String, AccessNode> previous = nodes;
        nodes = Map.copyOf(next);
        if (!previous.keySet().equals(next.keySet())) {
            log.info("live access nodes of cell {}: {}", cell, next.keySet());
            Set<String> ids = nodeIds();
            for (Consumer<Set<String>> listener : listeners) {
                try {
                    listener.accept(ids);
                } catch (RuntimeException e) {
                    log.warn("live node listener {} failed", listener, e);
                }
            }
        }
    }

    public String cell() {
        return cell;
    }

    /** Ids of the live nodes. */
    public Set<String> nodeIds() {
        return nodes.keySet();
    }

    /** The live nodes by id, with their addresses. */
    public Map<String, AccessNode> nodes() {
        return nodes;
    }

    /** Calls {@code listener} with the node ids whenever the set changes; returns the handle that unsubscribes. */
    public AutoCloseable subscribe(Consumer<Set<String>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public synchronized void close() {
        if (cache == null) {
            return;
        }
        ServiceCache<AccessNode> c = cache;
        ServiceDiscovery<AccessNode> d = discovery;
        cache = null;
        discovery = null;
        BoundedCall.run("stop watching cell " + cell, client.properties().shutdownTimeout(), log, () -> {
            c.close();
            d.close();
        });
    }
}
