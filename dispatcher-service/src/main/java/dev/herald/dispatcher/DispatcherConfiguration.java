package dev.herald.dispatcher;

import dev.herald.core.redis.LuaScript;
import dev.herald.dispatcher.fanout.DispatchedStatuses;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.MessageBodies;
import dev.herald.offline.OfflineLimits;
import dev.herald.offline.OfflineWrites;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OfflineLimits.class)
class DispatcherConfiguration {

    /**
     * The offline store's writes, owned by the saver-service and run here in the fan-out pipeline: storing before
     * delivering costs Redis commands in the batch's own rounds, not an HTTP call to the saver.
     */
    @Bean
    OfflineWrites offlineWrites(OfflineLimits limits, JsonMapper json) {
        return new OfflineWrites(limits, new MessageBodies(json));
    }

    /** The store, route look-ups and fan-out writes of a batch leave in one write per round (see {@link RedisPipeline}). */
    @Bean(destroyMethod = "close")
    RedisPipeline fanoutPipeline(LettuceConnectionFactory connections) {
        return new RedisPipeline(connections::getRequiredNativeClient, Stream.concat(OfflineWrites.SCRIPTS.stream(),
                Stream.of(DispatchedStatuses.SCRIPT)).toArray(LuaScript[]::new));
    }
}
