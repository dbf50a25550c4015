package dev.herald.configserver;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the config-server ({@code herald.config-server.*}). The defaults make a local run work:
 * no ensemble configured starts an embedded ZooKeeper on port 2181.
 *
 * @param zookeeper          the ensemble to use and how patiently to talk to it
 * @param embeddedZookeeper  the ZooKeeper started in-process when {@code zookeeper.connect-string} is empty
 * @param root               parent znode of the whole Herald tree ({@code <root>/config}, {@code <root>/history},
 *                           {@code <root>/services}); the same value as the services' {@code herald.zookeeper.root}
 * @param adminToken         bearer token of the admin API; the default is logged as a warning
 * @param historySize        previous documents kept per config node
 * @param seedDefaults       create the default tree (demo app, empty blacklist, empty settings) when
 *                           {@code <root>/config} does not exist yet
 * @param cluster            how the ops console's admin API talks to the instances' management ports
 */
@Validated
@ConfigurationProperties("herald.config-server")
public record ConfigServerProperties(
        @DefaultValue @Valid @NotNull ZooKeeper zookeeper,
        @DefaultValue @Valid @NotNull EmbeddedZooKeeper embeddedZookeeper,
        @DefaultValue("/herald") @NotNull @Pattern(regexp = "(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+",
                message = "must be an absolute znode path such as /herald") String root,
        @DefaultValue(ConfigServerProperties.DEFAULT_ADMIN_TOKEN) @NotBlank @Size(min = 16) String adminToken,
        @DefaultValue("20") @Min(1) @Max(1000) int historySize,
        @DefaultValue("true") boolean seedDefaults,
        @DefaultValue @Valid @NotNull Cluster cluster) {

    /** Shipped so a local run works; a WARN at start-up says to change it. */
    public static final String DEFAULT_ADMIN_TOKEN = "herald-admin-change-me";

    public boolean usesDefaultAdminToken() {
        return DEFAULT_ADMIN_TOKEN.equals(adminToken);
    }

    /**
     * @param connectString     the ensemble ({@code host:port,host:port}); empty starts the embedded server
     * @param sessionTimeout    ZooKeeper session timeout
     * @param connectionTimeout how long one operation waits for a connection before Curator retries it
     * @param requestTimeout    longest an admin request waits for ZooKeeper before it is answered with 503
     */
    public record ZooKeeper(
            @DefaultValue("") @NotNull String connectString,
            @DefaultValue("PT15S") @NotNull Duration sessionTimeout,
            @DefaultValue("PT3S") @NotNull Duration connectionTimeout,
            @DefaultValue("PT5S") @NotNull Duration requestTimeout) {

        public boolean embedded() {
            return connectString.isBlank();
        }
    }

    /**
     * @param dataDir     snapshots and transaction logs; relative paths resolve against the working directory
     * @param port        client port; 0 picks a free one (logged at start-up)
     * @param bindAddress address the client port listens on; loopback by default because the embedded server has
     *                    no authentication
     */
    public record EmbeddedZooKeeper(
            @DefaultValue("./data/zookeeper") @NotBlank String dataDir,
            @DefaultValue("2181") @Min(0) @Max(65535) int port,
            @DefaultValue("127.0.0.1") @NotBlank String bindAddress) {
    }

    /**
     * @param callTimeout  longest the config-server waits for one answer of an instance's management port
     *                     (health, pools, metrics, profiles); a slower instance is shown as unreachable
     * @param captureSlack how long an on-demand profile capture may take beyond its recording time (stopping
     *                     the recording, writing and summarising the snapshot)
     */
    public record Cluster(
            @DefaultValue("PT3S") @NotNull Duration callTimeout,
            @DefaultValue("PT30S") @NotNull Duration captureSlack) {
    }
}
