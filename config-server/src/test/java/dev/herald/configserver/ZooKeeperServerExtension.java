package dev.herald.configserver;

import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real ZooKeeper (Curator's {@link TestingServer}) for one test class, on a free port. Its connect string goes
 * into the system property the config-server reads, in {@code beforeAll}: declare this extension before
 * {@code @SpringBootTest}, and close the context with the class ({@code @DirtiesContext}), so that the server
 * starts before the application context and stops after it.
 */
public final class ZooKeeperServerExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String CONNECT_STRING_PROPERTY = "herald.config-server.zookeeper.connect-string";

    private static TestingServer server;

    /** The running server's connect string. */
    public static String connectString() {
        if (server == null) {
            throw new IllegalStateException("no ZooKeeper running: is the class annotated with "
                    + "@ExtendWith(ZooKeeperServerExtension.class)?");
        }
        return server.getConnectString();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = new TestingServer(true);
        System.setProperty(CONNECT_STRING_PROPERTY, server.getConnectString());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        System.clearProperty(CONNECT_STRING_PROPERTY);
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
