package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.core.offline.SaverClient;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpPoolSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The saver client of this node, on a connection pool of its own ({@code saver} in {@code /actuator/pools}).
 * Boot 4 no longer auto-configures a {@code WebClient.Builder} here.
 */
@Configuration(proxyBeanMethods = false)
class SaverConfiguration {

    /** Fetches and ACK batches are few and large: a handful of connections carry them. */
    static final int MAX_CONNECTIONS = 64;

    @Bean
    SaverClient saverClient(AccessProperties properties, ClientPools pools, ServiceKey serviceKey) {
        var pool = pools.http("saver", HttpPoolSettings.of(MAX_CONNECTIONS, properties.saverTimeout()));
        return new SaverClient(serviceKey.authenticate(
                        WebClient.builder().clientConnector(new ReactorClientHttpConnector(pool.httpClient()))),
                properties.saverUrl(), properties.saverTimeout());
    }
}
