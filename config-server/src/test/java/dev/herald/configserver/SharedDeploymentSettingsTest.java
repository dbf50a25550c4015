package dev.herald.configserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A deployment usually gives every service the same settings: {@code deploy/local/herald.sh} and the
 * docker-compose file hand {@code herald.zookeeper.connect-string} (the services' config-client setting) to
 * the config-server too. The config-server owns its ZooKeeper connection and must start regardless, with
 * one {@code zookeeper} health component: its own.
 */
class SharedDeploymentSettingsTest extends ConfigServerIntegrationTest {

    @DynamicPropertySource
    static void servicesSetting(DynamicPropertyRegistry registry) {
        registry.add("herald.zookeeper.connect-string", ZooKeeperServerExtension::connectString);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void theServicesZooKeeperSettingLeavesTheConfigServerItsOwnConnectionAndHealth() {
        Map<String, HealthIndicator> indicators = context.getBeansOfType(HealthIndicator.class);
        assertThat(indicators).containsKey("zookeeperHealthIndicator");
        assertThat(indicators.get("zookeeperHealthIndicator").getClass().getName())
                .isEqualTo("dev.herald.configserver.zookeeper.ZooKeeperHealthIndicator");

        management().get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        asAdmin().get().uri("/admin/v1/config/apps/demo").exchange().expectStatus().isOk();
    }
}
