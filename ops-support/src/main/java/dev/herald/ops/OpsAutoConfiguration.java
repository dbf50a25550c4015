package dev.herald.ops;

import dev.herald.config.ZooKeeperAutoConfiguration;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.ops.instances.InstanceAnnouncer;
import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import dev.herald.ops.internal.ServiceKeyFilter;
import dev.herald.ops.pools.ClientPools;
import dev.herald.ops.pools.PoolsEndpoint;
import dev.herald.ops.pools.RedisPool;
import dev.herald.ops.pools.ZooKeeperPool;
import dev.herald.ops.profiling.ProfileRecorder;
import dev.herald.ops.profiling.ProfilesEndpoint;
import dev.herald.web.problem.ProblemWriter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.codec.ServerCodecConfigurer;

/**
 * What every Herald service gets from ops-support: common tags {@code service}, {@code node},
 * {@code cell} on every meter; the client pools ({@link ClientPools}: Redis and ZooKeeper attached here,
 * HTTP pools made by the services) with the {@code pools} endpoint; JFR snapshots with the
 * {@code profiles} endpoint; with ZooKeeper, this instance in the cluster listing; and the service key of
 * internal calls ({@link ServiceKey}, required on {@code /internal/**} by {@link ServiceKeyFilter}).
 */
@AutoConfiguration(after = {ZooKeeperAutoConfiguration.class, MetricsAutoConfiguration.class})
@EnableConfigurationProperties({OpsProperties.class, InternalApiProperties.class})
public class OpsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OpsAutoConfiguration.class);

    /** What internal clients send and {@code /internal/**} requires (docs/security.md). */
    @Bean
    ServiceKey heraldServiceKey(InternalApiProperties properties) {
        if (properties.usesDefaultKey()) {
            log.warn("internal APIs use the default service key '{}': set herald.internal.service-key to a secret "
                    + "of your own on every service before they are reachable by anyone else",
                    InternalApiProperties.DEFAULT_SERVICE_KEY);
        }
        return new ServiceKey(properties);
    }

    /**
     * With a writer of its own, on the application's codecs: a refused internal call is not one of the
     * service's API answers, so the service's {@code ProblemListener}s (push-api's rejection counts) do not hear of it.
     */
    @Bean
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    ServiceKeyFilter heraldServiceKeyFilter(ServiceKey key, ObjectProvider<ServerCodecConfigurer> codecs) {
        return new ServiceKeyFilter(key, new ProblemWriter(codecs.getIfAvailable(ServerCodecConfigurer::create)));
    }

    @Bean
    ServiceIdentity heraldServiceIdentity(OpsProperties properties, Environment environment) {
        return ServiceIdentity.of(properties, environment);
    }

    /** Applied to the registry before any meter is registered. */
    @Bean
    MeterRegistryCustomizer<MeterRegistry> heraldCommonTags(ServiceIdentity identity) {
        return registry -> registry.config().commonTags("service", identity.service(), "node", identity.node(),
                "cell", identity.cell());
    }

    @Bean
    ClientPools heraldClientPools(MeterRegistry meters) {
        return new ClientPools(meters);
    }

    @Bean
    @ConditionalOnAvailableEndpoint
    PoolsEndpoint poolsEndpoint(ServiceIdentity identity, ClientPools pools) {
        return new PoolsEndpoint(identity, pools);
    }

    /** The service's ZooKeeper session (config-client's, or the config-server's own). */
    @Bean
    @ConditionalOnBean(CuratorFramework.class)
    ZooKeeperPool heraldZooKeeperPool(ClientPools pools, CuratorFramework curator) {
        return ZooKeeperPool.attach(pools, "zookeeper", curator);
    }

    @Bean
    @ConditionalOnBean(InstanceRegistration.class)
    @ConditionalOnBooleanProperty(name = "herald.ops.register-instance", matchIfMissing = true)
    InstanceAnnouncer heraldInstanceAnnouncer(ApplicationContext context, InstanceRegistration registration,
                                              ServiceIdentity identity, Environment environment) {
        return new InstanceAnnouncer(context, registration, identity, environment);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "herald.ops.profiling.enabled", matchIfMissing = true)
    static class Profiling {

        @Bean
        ProfileRecorder heraldProfileRecorder(OpsProperties properties, ServiceIdentity identity, MeterRegistry meters) {
            return ProfileRecorder.create(properties.profiling(), identity, meters);
        }

        @Bean
        @ConditionalOnAvailableEndpoint
        ProfilesEndpoint profilesEndpoint(ServiceIdentity identity, ProfileRecorder recorder, OpsProperties properties) {
            return new ProfilesEndpoint(identity, recorder, properties.profiling());
        }
    }

    /**
     * The Redis client as the pool {@code redis}. Attached right after the connection factory has made its
     * client and before any connection exists: Lettuce's command listeners only see connections opened
     * after them. The pools are looked up lazily so that this post-processor does not create the meter
     * registry early.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(LettuceConnectionFactory.class)
    static class Redis {

        @Bean
        static BeanPostProcessor heraldRedisPool(ObjectProvider<ClientPools> pools) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (bean instanceof LettuceConnectionFactory factory) {
                        RedisPool.attach(pools.getObject(), "redis", factory.getHostName() + ":" + factory.getPort(),
                                factory.getRequiredNativeClient(), factory.getClientResources());
                    }
                    return bean;
                }
            };
        }
    }
}
