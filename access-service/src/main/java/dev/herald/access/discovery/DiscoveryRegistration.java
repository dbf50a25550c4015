package dev.herald.access.discovery;

import dev.herald.access.AccessProperties;
import dev.herald.access.server.AccessServer;
import dev.herald.config.nodes.AccessNode;
import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.zookeeper.ConditionalOnZooKeeper;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * With ZooKeeper, registers this node in discovery (service {@code access.<cell>}, instance id = node
 * id, address = {@code herald.access.advertised-host}, port = the bound native port, payload with the
 * HTTP port) once both its listeners are up, and removes the registration first on shutdown, so
 * dispatchers stop sending to it before it disconnects its devices. Both steps are bounded by
 * {@code herald.zookeeper.shutdown-timeout}. The Redis {@code h:nodes} heartbeat runs as well.
 */
@Component
@ConditionalOnZooKeeper
public final class DiscoveryRegistration implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

    /** After the web server has started (it starts at Integer.MAX_VALUE - 2048); so it stops before it. */
    public static final int PHASE = Integer.MAX_VALUE - 100;

    private final AccessProperties properties;
    private final AccessServer server;
    private final AccessNodeRegistration registration;
    private final Environment environment;
    private volatile int httpPort = -1;
    private volatile boolean running;

    public DiscoveryRegistration(AccessProperties properties, AccessServer server, AccessNodeRegistration registration,
                                 Environment environment) {
        this.properties = properties;
        this.server = server;
        this.registration = registration;
        this.environment = environment;
    }

    /** The main server's port; the management server (its own port, namespace "management") is not it. */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
            httpPort = event.getWebServer().getPort();
        }
    }

    /** The node as it is registered; the HTTP port is 0 when the node runs without an HTTP server. */
    public AccessNode node() {
        int http = httpPort >= 0 ? httpPort : Math.max(0, environment.getProperty("server.port", Integer.class, 0));
        return new AccessNode(properties.nodeId(), properties.cell(), properties.advertisedHost(), server.port(), http);
    }

    @Override
    public synchronized void start() {
        if (!running) {
            registration.register(node());
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            registration.unregister();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
