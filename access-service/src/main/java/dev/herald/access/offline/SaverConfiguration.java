package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.core.offline.SaverClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/** The saver client of this node. Boot 4 no longer auto-configures a {@code WebClient.Builder} here. */
@Configuration(proxyBeanMethods = false)
class SaverConfiguration {

    @Bean
    SaverClient saverClient(AccessProperties properties) {
        return new SaverClient(WebClient.builder(), properties.saverUrl(), properties.saverTimeout());
    }
}
