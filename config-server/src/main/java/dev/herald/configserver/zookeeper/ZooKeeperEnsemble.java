package dev.herald.configserver.zookeeper;

import dev.herald.configserver.ConfigServerProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper the config-server talks to: the configured ensemble, or, when none is configured, a
 * single server started in this process (ZooKeeper's own {@link ZooKeeperServerEmbedded}) for local use.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ZooKeeperEnsemble.class);
    private static final long START_TIMEOUT_MILLIS = 30_000;

    private final String connectString;
    private final ZooKeeperServerEmbedded server;
    private final Path configDir;

    private ZooKeeperEnsemble(String connectString, ZooKeeperServerEmbedded server, Path configDir) {
        this.connectString = connectString;
        this.server = server;
        this.configDir = configDir;
    }

    public static ZooKeeperEnsemble of(ConfigServerProperties properties) {
        if (!properties.zookeeper().embedded()) {
            log.info("using the ZooKeeper ensemble at {}", properties.zookeeper().connectString());
            return new ZooKeeperEnsemble(properties.zookeeper().connectString(), null, null);
        }
        return startEmbedded(properties.embeddedZookeeper());
    }

    private static ZooKeeperEnsemble startEmbedded(ConfigServerProperties.EmbeddedZooKeeper settings) {
        Path dataDir = Path.of(settings.dataDir()).toAbsolutePath().normalize();
        int port = settings.port() == 0 ? freePort(settings.bindAddress()) : settings.port();
        Properties config = new Properties();
        config.setProperty("dataDir", dataDir.toString());
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", settings.bindAddress());
        config.setProperty("tickTime", "2000");
        config.setProperty("maxClientCnxns", "0");
        // Unknown keys become zookeeper.* system properties: no Jetty admin server fighting for port 8080.
        config.setProperty("admin.enableServer", "false");
        // Keep a long-running local data directory small.
        config.setProperty("autopurge.snapRetainCount", "3");
        config.setProperty("autopurge.purgeInterval", "1");
        Path configDir = null;
        try {
            Files.createDirectories(dataDir);
            // The server writes a fresh properties file into its base directory at every start: keep that out
            // of the data directory.
            configDir = Files.createTempDirectory("herald-embedded-zookeeper");
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(configDir)
                    .configuration(config)
                    // LOG_ONLY: a fatal ZooKeeper error must not System.exit the whole config-server.
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(START_TIMEOUT_MILLIS);
            String connectString = connectHost(settings.bindAddress()) + ":" + port;
            log.info("started an embedded ZooKeeper at {} (data in {}); configure "
                    + "herald.config-server.zookeeper.connect-string to use a real ensemble", connectString, dataDir);
            return new ZooKeeperEnsemble(connectString, server, configDir);
        } catch (Exception e) {
            deleteQuietly(configDir);
            throw new IllegalStateException("could not start the embedded ZooKeeper on " + settings.bindAddress()
                    + ":" + port + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String connectString() {
        return connectString;
    }

    public boolean embedded() {
        return server != null;
    }

    /** Stops the embedded server, if any; the configured ensemble is left alone. */
    @Override
    public void close() {
        if (server == null) {
            return;
        }
        log.info("stopping the embedded ZooKeeper at {}", connectString);
        server.close();
        deleteQuietly(configDir);
    }

    private static String connectHost(String bindAddress) {
        try {
            InetAddress address = InetAddress.getByName(bindAddress);
            return address.isAnyLocalAddress() ? "127.0.0.1" : bindAddress;
        } catch (IOException e) {
            return bindAddress;
        }
    }

    private static int freePort(String bindAddress) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + bindAddress + " for the embedded ZooKeeper", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
