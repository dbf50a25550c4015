package dev.herald.access.offline;

import dev.herald.access.AccessProperties;
import dev.herald.access.delivery.StatusCounters;
import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.OfflineAcks;
import dev.herald.offline.OfflineLimits;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpPoolSettings;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientAdapter;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

/**
 * The saver client of this node (backlog fetches), on a connection pool of its own ({@code saver} in
 * {@code /actuator/pools}; Boot 4 no longer auto-configures a {@code WebClient.Builder} here), and the
 * offline-store library's ACK script, run on this node's own Redis pipeline.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OfflineLimits.class)
class SaverConfiguration {

    /** Fetch batches are few and large: a handful of connections carry them. */
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_FETCH_RESPONSE_BYTES = 64 * 1024 * 1024;

    @Bean
    OfflineAcks offlineAcks(OfflineLimits limits) {
        return new OfflineAcks(limits);
    }

    /**
     * The ACK batches and status counts of this node leave in one write each (see {@link RedisPipeline}), on a
     * connection of their own.
     */
    @Bean(destroyMethod = "close")
    RedisPipeline offlinePipeline(LettuceConnectionFactory connections) {
        return new RedisPipeline(connections::getRequiredNativeClient, Stream.concat(OfflineAcks.SCRIPTS.stream(),
                Stream.of(StatusCounters.INCREMENT_IF_PRESENT)).toArray(LuaScript[]::new));
    }

    @Bean
    SaverClient saverClient(AccessProperties properties, ClientPools pools, ServiceKey serviceKey) {
        var pool = pools.http("saver", HttpPoolSettings.of(MAX_CONNECTIONS, properties.saverTimeout()));
        WebClient web = serviceKey.authenticate(WebClient.builder())
                .clientConnector(new ReactorClientHttpConnector(pool.httpClient()))
                // a backlog batch holds up to hundreds of devices' stored messages
                .codecs(c -> c.defaultCodecs().maxInMemorySize(MAX_FETCH_RESPONSE_BYTES))
                .baseUrl(properties.saverUrl()).build();
        return HttpServiceProxyFactory.builderFor(WebClientAdapter.create(web)).build().createClient(SaverClient.class);
    }
}
