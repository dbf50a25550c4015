package dev.herald.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real Redis for a test class and publishes it as the system properties
 * {@code spring.data.redis.host} / {@code spring.data.redis.port} before any Spring context starts.
 * Register it as a static field with {@code @RegisterExtension}, declared before the Spring test
 * annotations take effect, so that its {@code afterAll} runs after the context has closed.
 *
 * <p>Uses the local {@code redis-server} binary; when it is absent and a Docker engine is present it
 * starts {@code redis:7} with Testcontainers instead.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

    private AutoCloseable running;
    private String host;
    private int port;
    private RedisServer local;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (RedisServer.binaryAvailable() || !DockerRedis.dockerAvailable()) {
            local = RedisServer.start();
            running = local;
            host = local.host();
            port = local.port();
        } else {
            DockerRedis docker = DockerRedis.start();
            running = docker;
            host = docker.host();
            port = docker.port();
        }
        System.setProperty("spring.data.redis.host", host);
        System.setProperty("spring.data.redis.port", String.valueOf(port));
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        System.clearProperty("spring.data.redis.host");
        System.clearProperty("spring.data.redis.port");
        if (running != null) {
            running.close();
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The local server, for tests that restart it; {@code null} on the Docker path. */
    public RedisServer localServer() {
        return local;
    }
}
