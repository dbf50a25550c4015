package dev.herald.configserver.tree;

import dev.herald.configserver.ConfigServerProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Seeds the {@link DefaultTree} once per process: during start-up when ZooKeeper answers within the
 * connection timeout, otherwise as soon as a connection is made. The server starts either way.
 */
public final class DefaultTreeSeeding implements SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DefaultTreeSeeding.class);

    private final CuratorFramework curator;
    private final DefaultTree tree;
    private final ConfigServerProperties properties;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-tree-seeding");
        thread.setDaemon(true);
        return thread;
    });
    private final ConnectionStateListener onConnection = (client, state) -> {
        if (state.isConnected()) {
            executor.execute(this::seedOnce);
        }
    };
    private boolean done;

    public DefaultTreeSeeding(CuratorFramework curator, DefaultTree tree, ConfigServerProperties properties) {
        this.curator = curator;
        this.tree = tree;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!properties.seedDefaults()) {
            log.info("seeding the default config tree is off (herald.config-server.seed-defaults=false)");
            return;
        }
        curator.getConnectionStateListenable().addListener(onConnection);
        try {
            long waitMillis = properties.zookeeper().connectionTimeout().toMillis();
            if (curator.blockUntilConnected(Math.toIntExact(waitMillis), TimeUnit.MILLISECONDS)) {
                seedOnce();
            } else {
                log.warn("ZooKeeper did not answer within {} ms; the default tree is checked once it does",
                        waitMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Synchronized: the start-up thread and the connection listener may both get here. */
    synchronized void seedOnce() {
        if (done) {
            return;
        }
        try {
            if (tree.createIfAbsent()) {
                log.info("seeded the default config tree under {}/config (apps/demo, global/blacklist-ips, "
                        + "global/settings)", properties.root());
            } else {
                log.info("config tree found under {}/config; nothing seeded", properties.root());
            }
            done = true;
            curator.getConnectionStateListenable().removeListener(onConnection);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not check or seed the default config tree; trying again at the next connection: {}",
                    e.toString());
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
