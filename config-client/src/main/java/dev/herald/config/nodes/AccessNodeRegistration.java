package dev.herald.config.nodes;

import dev.herald.config.zookeeper.BoundedCall;
import dev.herald.config.zookeeper.ZooKeeperClient;
import java.util.Optional;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An access node's entry in discovery: an ephemeral znode
 * {@code <root>/services/access.<cell>/<nodeId>} that lives as long as the node's ZooKeeper session.
 * A node that dies disappears once its session expires; Curator registers it again after a reconnect
 * with a new session. Every blocking step is bounded by {@code herald.zookeeper.shutdown-timeout}.
 */
public final class AccessNodeRegistration implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AccessNodeRegistration.class);

    private final ZooKeeperClient client;
    private ServiceDiscovery<AccessNode> discovery;
    private ServiceInstance<AccessNode> instance;

    public AccessNodeRegistration(ZooKeeperClient client) {
        this.client = client;
    }

    static ServiceDiscovery<AccessNode> discovery(ZooKeeperClient client) {
        return ServiceDiscoveryBuilder.builder(AccessNode.class)
                .client(client.curator())
                .basePath(client.properties().servicesPath())
                .serializer(new AccessNodeSerializer())
                .build();
    }

    /**
     * Registers {@code node}. Returns whether ZooKeeper confirmed it in time; if not, the registration is
     * kept and made as soon as the connection is back.
     */
    public synchronized boolean register(AccessNode node) {
        if (instance != null) {
            throw new IllegalStateException("already registered as " + instance.getPayload());
        }
        ServiceInstance<AccessNode> self = new ServiceInstance<>(node.serviceName(), node.nodeId(), node.address(),
                node.port(), null, node, System.currentTimeMillis(), ServiceType.DYNAMIC, null, true);
        ServiceDiscovery<AccessNode> started = discovery(client);
        this.discovery = started;
        this.instance = self;
        boolean done = BoundedCall.run("register " + node.nodeId(), client.properties().shutdownTimeout(), log, () -> {
            started.start();
            started.registerService(self);
        });
        if (done) {
            log.info("registered in discovery: {} at {}:{} (service {})", node.nodeId(), node.address(), node.port(),
                    node.serviceName());
        } else {
            log.warn("registration of {} not confirmed; Curator registers it when ZooKeeper answers", node.nodeId());
        }
        return done;
    }

    public synchronized Optional<AccessNode> registered() {
        return Optional.ofNullable(instance).map(ServiceInstance::getPayload);
    }

    /** Removes the registration (bounded); the node stops receiving traffic from dispatchers. */
    public synchronized void unregister() {
        if (instance == null) {
            return;
        }
        ServiceDiscovery<AccessNode> registered = discovery;
        ServiceInstance<AccessNode> self = instance;
        discovery = null;
        instance = null;
        boolean done = BoundedCall.run("unregister " + self.getId(), client.properties().shutdownTimeout(), log, () -> {
            registered.unregisterService(self);
            registered.close();
        });
        if (done) {
            log.info("unregistered from discovery: {}", self.getId());
        }
    }

    @Override
    public void close() {
        unregister();
    }
}
