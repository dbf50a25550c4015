package dev.herald.api.message;

import dev.herald.core.redis.RedisPipeline;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The intake's own Redis connection: a send's (or a whole batch's) commands leave in one write. The status script is
 * loaded when it connects, so no send pays for a NOSCRIPT round.
 */
@Configuration(proxyBeanMethods = false)
class IntakePipelineConfiguration {

    @Bean(destroyMethod = "close")
    RedisPipeline intakePipeline(LettuceConnectionFactory connections) {
        return new RedisPipeline(connections::getRequiredNativeClient, AcceptedStatuses.SCRIPT);
    }
}
