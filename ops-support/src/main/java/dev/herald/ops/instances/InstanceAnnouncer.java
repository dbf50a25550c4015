package dev.herald.ops.instances;

import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.ops.ServiceIdentity;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.SmartApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Puts this instance in the cluster listing ({@code <root>/instances/<service>/<node>}) once it is ready,
 * that is once both its ports are bound and known ({@code local.server.port},
 * {@code local.management.port}), and takes it out first thing when the context closes. The management
 * child context's own events are ignored.
 */
public final class InstanceAnnouncer implements SmartApplicationListener {

    private static final Logger log = LoggerFactory.getLogger(InstanceAnnouncer.class);

    private final ApplicationContext context;
    private final InstanceRegistration registration;
    private final ServiceIdentity identity;
    private final Environment environment;
    private final Instant startedAt = Instant.now();

    public InstanceAnnouncer(ApplicationContext context, InstanceRegistration registration, ServiceIdentity identity,
                             Environment environment) {
        this.context = context;
        this.registration = registration;
        this.identity = identity;
        this.environment = environment;
    }

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationReadyEvent.class.isAssignableFrom(eventType) || ContextClosedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent ready && ready.getApplicationContext() == context) {
            registration.register(self());
        } else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
            registration.unregister();
        }
    }

    /** This instance as registered; the management port is the server port when the two are the same. */
    ClusterInstance self() {
        int port = environment.getProperty("local.server.port", Integer.class, 0);
        int managementPort = environment.getProperty("local.management.port", Integer.class, port);
        if (port < 0 || managementPort < 0) {
            log.warn("unusual ports {}/{}: registering 0 for what is not served", port, managementPort);
        }
        return new ClusterInstance(identity.service(), identity.node(), identity.cell(), identity.host(), Math.max(0, port),
                Math.max(0, managementPort), startedAt);
    }
}
