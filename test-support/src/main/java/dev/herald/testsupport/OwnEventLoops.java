package dev.herald.testsupport;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Gives every Spring application started in a test JVM its own Reactor Netty event loops and connection
 * pool instead of the JVM-wide global ones. With the global ones, closing one context (a test class with
 * {@code @DirtiesContext}, a service started and stopped in a test) disposes the loops under every other
 * context and client in the JVM; the next context's first requests were seen to hang for 30 s. Registered
 * through {@code META-INF/spring.factories}, so it applies wherever test-support is on the class path
 * (test scope only: the services' jars never contain it).
 */
public final class OwnEventLoops implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (context instanceof GenericApplicationContext generic && isPresent("reactor.netty.resources.LoopResources")) {
            generic.registerBean(ReactorResourceFactory.class, () -> {
                ReactorResourceFactory resources = new ReactorResourceFactory();
                resources.setUseGlobalResources(false);
                return resources;
            });
        }
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, OwnEventLoops.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
