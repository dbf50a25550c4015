package dev.herald.saver;

import dev.herald.core.redis.LuaScript;
import dev.herald.core.redis.RedisPipeline;
import dev.herald.offline.MessageBodies;
import dev.herald.offline.OfflineAcks;
import dev.herald.offline.OfflineLimits;
import dev.herald.offline.OfflineWrites;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/** The offline-store library's parts, wired for the saver's store and ACK endpoints and its backlog fetch. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OfflineLimits.class)
class SaverConfiguration {

    @Bean
    MessageBodies messageBodies(JsonMapper json) {
        return new MessageBodies(json);
    }

    @Bean
    OfflineAcks offlineAcks(OfflineLimits limits) {
        return new OfflineAcks(limits);
    }

    @Bean
    OfflineWrites offlineWrites(OfflineLimits limits, MessageBodies bodies) {
        return new OfflineWrites(limits, bodies);
    }

    /** The store API's rounds leave in one write each (see {@link RedisPipeline}). */
    @Bean(destroyMethod = "close")
    RedisPipeline storePipeline(LettuceConnectionFactory connections) {
        return new RedisPipeline(connections::getRequiredNativeClient, Stream.concat(OfflineWrites.SCRIPTS.stream(),
                OfflineAcks.SCRIPTS.stream()).toArray(LuaScript[]::new));
    }
}
