package dev.herald.config;

import dev.herald.core.app.IpBlacklist;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Without ZooKeeper nothing is blacklisted; a service may still declare its own {@link IpBlacklist}. */
@AutoConfiguration(after = ZooKeeperAutoConfiguration.class)
public class StaticConfigAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(IpBlacklist.class)
    IpBlacklist noIpBlacklist() {
        return IpBlacklist.NONE;
    }
}
