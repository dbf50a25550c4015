package dev.herald.config.nodes;

import dev.herald.config.zookeeper.BoundedCall;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's entry in the cluster listing: the ephemeral znode
 * {@code <root>/instances/<service>/<node>} holding its {@link ClusterInstance} as JSON. A Curator
 * {@link PersistentNode} keeps it: when the session expires and a new one starts, the znode is created
 * again; when the instance dies, it disappears with the session. Every blocking step is bounded.
 */
public final class InstanceRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InstanceRegistration.class);

    private final CuratorFramework curator;
    private final String root;
    private final Duration timeout;
    private PersistentNode node;
    private ClusterInstance instance;

    /**
     * @param root    the Herald tree ({@code herald.zookeeper.root})
     * @param timeout bound on registering and on removing the registration
     */
    public InstanceRegistration(CuratorFramework curator, String root, Duration timeout) {
        this.curator = curator;
        this.root = root;
        this.timeout = timeout;
    }

    /**
     * Registers {@code self}. Returns whether ZooKeeper confirmed it in time; if not, Curator creates the
     * znode as soon as ZooKeeper answers.
     */
    public synchronized boolean register(ClusterInstance self) {
        if (node != null) {
            throw new IllegalStateException("already registered as " + instance);
        }
        String path = self.path(root);
        PersistentNode created = new PersistentNode(curator, CreateMode.EPHEMERAL, false, path,
                ClusterInstanceCodec.encode(self));
        node = created;
        instance = self;
        boolean done = BoundedCall.run("register instance " + self.node(), timeout, log, () -> {
            created.start();
            if (!created.waitForInitialCreate(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("not created within " + timeout);
            }
        });
        if (done) {
            log.info("registered instance {} at {} (management port {})", path, self.host() + ":" + self.port(),
                    self.managementPort());
        } else {
            log.warn("registration of instance {} not confirmed; Curator creates it when ZooKeeper answers", path);
        }
        return done;
    }

    public synchronized Optional<ClusterInstance> registered() {
        return Optional.ofNullable(instance);
    }

    /** Deletes the znode (bounded): the instance leaves the listing at once instead of at session expiry. */
    public synchronized void unregister() {
        if (node == null) {
            return;
        }
        PersistentNode registered = node;
        String path = instance.path(root);
        node = null;
        instance = null;
        if (BoundedCall.run("unregister instance " + path, timeout, log, registered::close)) {
            log.info("unregistered instance {}", path);
        }
    }

    @Override
    public void close() {
        unregister();
    }
}
