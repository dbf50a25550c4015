package dev.herald.config.snapshot;

import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current {@link ConfigSnapshot}: a {@link CuratorCache} mirrors {@code <root>/config}, and
 * after any change the whole snapshot is rebuilt from the cache and swapped in one
 * {@link AtomicReference} write. Bursts of changes coalesce into one rebuild on the watcher's own
 * thread. When ZooKeeper is unreachable the cache, and so the snapshot, keeps the last state it saw.
 */
public final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final String configPath;
    private final CuratorCache cache;
    private final ConfigTreeReader reader = new ConfigTreeReader();
    private final AtomicReference<ConfigSnapshot> current = new AtomicReference<>(ConfigSnapshot.EMPTY);
    private final List<Consumer<ConfigSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-config-watcher");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean rebuildPending = new AtomicBoolean();
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean initialized;
    private long generation;

    public ConfigWatcher(CuratorFramework client, HeraldZooKeeperProperties properties) {
        this.configPath = properties.configPath();
        this.cache = CuratorCache.build(client, configPath);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, before, after) -> {
                    if (initialized) {
                        requestRebuild();
                    }
                })
                .forInitialized(() -> {
                    initialized = true;
                    requestRebuild();
                })
                .build());
    }

    /**
     * Starts watching and waits up to {@code timeout} for the first snapshot. Returns either way: a
     * service without ZooKeeper at start-up runs with an empty snapshot, reports DOWN, and picks up the
     * tree once it connects.
     */
    public void start(Duration timeout) {
        cache.start();
        try {
            if (!loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("no configuration from ZooKeeper at {} within {}: starting with none, will apply it when "
                        + "ZooKeeper answers", configPath, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The current snapshot; one volatile read. */
    public ConfigSnapshot current() {
        return current.get();
    }

    /** Whether the first snapshot has been loaded from ZooKeeper. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    /**
     * Calls {@code listener} with every new snapshot, on the watcher's thread, after it became current.
     * Returns the handle that unsubscribes.
     */
    public AutoCloseable subscribe(Consumer<ConfigSnapshot> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void requestRebuild() {
        if (rebuildPending.compareAndSet(false, true)) {
            try {
                rebuilder.execute(this::rebuild);
            } catch (RejectedExecutionException closed) {
                rebuildPending.set(false);
            }
        }
    }

    /** Only ever runs on the rebuilder thread. */
    private void rebuild() {
        // Cleared before reading, so a change arriving during the read schedules one more rebuild.
        rebuildPending.set(false);
        ConfigSnapshot next;
        try {
            List<ConfigTreeReader.Node> nodes = new ArrayList<>();
            String prefix = configPath + "/";
            cache.stream()
                    .filter(data -> data.getPath().startsWith(prefix))
                    .forEach(data -> nodes.add(node(prefix, data)));
            next = reader.read(nodes, generation + 1, Instant.now());
        } catch (RuntimeException e) {
            log.error("rebuilding the configuration snapshot failed; keeping generation {}", generation, e);
            return;
        }
        generation = next.generation();
        ConfigSnapshot previous = current.getAndSet(next);
        if (loaded.getCount() > 0) {
            log.info("configuration loaded from ZooKeeper: {}", next);
            loaded.countDown();
        } else if (!previous.apps().equals(next.apps()) || !previous.blacklist().equals(next.blacklist())) {
            log.info("configuration changed: {}", next);
        } else {
            log.debug("configuration rebuilt: {}", next);
        }
        for (Consumer<ConfigSnapshot> listener : listeners) {
            try {
                listener.accept(next);
            } catch (RuntimeException e) {
                log.warn("configuration listener {} failed", listener, e);
            }
        }
    }

    private static ConfigTreeReader.Node node(String prefix, ChildData data) {
        long mzxid = data.getStat() == null ? -1 : data.getStat().getMzxid();
        return new ConfigTreeReader.Node(data.getPath().substring(prefix.length()), data.getData(), mzxid);
    }

    @Override
    public void close() {
        cache.close();
        rebuilder.shutdownNow();
    }
}
