package dev.herald.configserver.tree;

import dev.herald.configserver.ConfigServerProperties;
import java.time.Clock;
import org.apache.curator.framework.CuratorFramework;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class TreeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    DocumentCodec documentCodec() {
        return new DocumentCodec();
    }

    @Bean
    ConfigTree configTree(CuratorFramework curator, ConfigServerProperties properties, DocumentCodec codec) {
        return new ConfigTree(curator, properties.root(), properties.historySize(), codec);
    }

    @Bean
    DefaultTree defaultTree(CuratorFramework curator, ConfigServerProperties properties, DocumentCodec codec,
            Clock clock) {
        return new DefaultTree(curator, properties.root(), codec, clock);
    }

    @Bean
    DefaultTreeSeeding defaultTreeSeeding(CuratorFramework curator, DefaultTree tree,
            ConfigServerProperties properties) {
        return new DefaultTreeSeeding(curator, tree, properties);
    }
}
