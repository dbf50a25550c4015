package dev.herald.dispatcher;

import dev.herald.core.offline.SaverClient;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpPoolSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

@Configuration(proxyBeanMethods = false)
class DispatcherConfiguration {

    /** One store request per intake batch: a handful of connections carry them. */
    static final int SAVER_CONNECTIONS = 64;

    /**
     * Boot 4 auto-configures no {@code WebClient.Builder} without its webclient module, so the builder is
     * made here with Boot's codec customizers: the saver's JSON goes through the application's JsonMapper.
     * Its connections are a pool of their own, {@code saver} in {@code /actuator/pools}.
     */
    @Bean
    SaverClient saverClient(ObjectProvider<CodecCustomizer> codecCustomizers, DispatcherProperties properties,
                            ClientPools pools, ServiceKey serviceKey) {
        var pool = pools.http("saver", HttpPoolSettings.of(SAVER_CONNECTIONS, properties.saverTimeout()));
        WebClient.Builder builder = serviceKey.authenticate(WebClient.builder())
                .clientConnector(new ReactorClientHttpConnector(pool.httpClient()))
                .codecs(codecs -> codecCustomizers.orderedStream().forEach(c -> c.customize(codecs)));
        return new SaverClient(builder, properties.saverUrl().toString(), properties.saverTimeout());
    }

    /** The route look-ups and fan-out writes of a batch leave in one write each (see {@link RedisPipeline}). */
    @Bean(destroyMethod = "close")
    RedisPipeline fanoutPipeline(LettuceConnectionFactory connections) {
        return new RedisPipeline(connections::getRequiredNativeClient);
    }
}
