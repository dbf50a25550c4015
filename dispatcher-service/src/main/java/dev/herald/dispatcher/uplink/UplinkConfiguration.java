package dev.herald.dispatcher.uplink;

import dev.herald.core.app.AppCatalog;
import dev.herald.core.app.AppDirectory;
import dev.herald.dispatcher.DispatcherProperties;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.HttpClientPool;
import dev.herald.ops.pools.HttpPoolSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The uplink callback worker, unless {@code herald.dispatcher.uplink.enabled=false}. Apps come from the
 * {@link AppDirectory}: the static {@code herald.apps} ({@link AppCatalog}), or ZooKeeper's directory,
 * which config-client makes primary when ZooKeeper is configured.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AppCatalog.class)
@ConditionalOnBooleanProperty(name = "herald.dispatcher.uplink.enabled", matchIfMissing = true)
class UplinkConfiguration {

    /** Callbacks go to many hosts, each holding its own connections, at most this many per host. */
    static final int CALLBACK_CONNECTIONS_PER_HOST = 256;

    @Bean
    CallbackClient uplinkCallbackClient(JsonMapper json, DispatcherProperties properties, ClientPools pools) {
        Duration timeout = properties.uplink().requestTimeout();
        HttpClientPool pool = pools.http("uplink-callbacks", HttpPoolSettings.of(CALLBACK_CONNECTIONS_PER_HOST, timeout));
        return new CallbackClient(json, timeout, pool.httpClient());
    }

    @Bean
    UplinkCallbackWorker uplinkCallbackWorker(LettuceConnectionFactory connectionFactory, AppDirectory apps, JsonMapper json,
                                              CallbackClient callbacks, DispatcherProperties properties, MeterRegistry meters) {
        return new UplinkCallbackWorker(connectionFactory, apps, json, callbacks, properties, meters);
    }
}
