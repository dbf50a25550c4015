package dev.herald.configserver;

import dev.herald.config.ZooKeeperAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/*
 * config-client's service side (config watcher, app directory, its own Curator session) stays off even when a
 * deployment hands every service herald.zookeeper.connect-string: the config-server owns the tree and its
 * connection (herald.config-server.zookeeper.*) and uses only config-client's cluster-listing types.
 */
@SpringBootApplication(exclude = ZooKeeperAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ConfigServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConfigServerApplication.class, args);
    }
}
