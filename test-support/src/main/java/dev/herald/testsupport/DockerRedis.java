package dev.herald.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** Redis in a container: the path taken only where no local binary exists and Docker does. */
final class DockerRedis implements AutoCloseable {

    private final GenericContainer<?> container;

    private DockerRedis(GenericContainer<?> container) {
        this.container = container;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static DockerRedis start() {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse("redis:7")).withExposedPorts(6379);
        c.start();
        return new DockerRedis(c);
    }

    String host() {
        return container.getHost();
    }

    int port() {
        return container.getMappedPort(6379);
    }

    @Override
    public void close() {
        container.stop();
    }
}
