package dev.herald.configserver.zookeeper;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Closes the Curator client, then the embedded ZooKeeper: in the other order the client would keep
 * reconnecting to a server that is gone. Closing the client is bounded because it waits for ZooKeeper to
 * acknowledge the end of the session, which never comes when ZooKeeper is already unreachable.
 */
public final class ZooKeeperShutdown implements DisposableBean {

    static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperShutdown.class);

    private final CuratorFramework curator;
    private final ZooKeeperEnsemble ensemble;

    ZooKeeperShutdown(CuratorFramework curator, ZooKeeperEnsemble ensemble) {
        this.curator = curator;
        this.ensemble = ensemble;
    }

    @Override
    public void destroy() {
        CompletableFuture<Void> closing = CompletableFuture.runAsync(curator::close);
        try {
            closing.get(CLIENT_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("the ZooKeeper client did not close within {}; going on with the shutdown", CLIENT_CLOSE_TIMEOUT);
        } catch (ExecutionException e) {
            log.warn("closing the ZooKeeper client failed: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ensemble.close();
        }
    }
}
