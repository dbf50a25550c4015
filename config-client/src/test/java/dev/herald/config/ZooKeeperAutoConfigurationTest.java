package dev.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.config.nodes.InstanceRegistration;
import dev.herald.config.snapshot.ConfigWatcher;
import dev.herald.config.snapshot.SnapshotAppDirectory;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.app.AppCatalog;
import dev.herald.core.app.AppDirectory;
import dev.herald.core.app.IpBlacklist;
import java.net.InetAddress;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ZooKeeperAutoConfigurationTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final String[] STATIC_APP = {"herald.apps[0].id=static", "herald.apps[0].key=static-key",
            "herald.apps[0].secret=static-secret-0123456789"};

    // The extension sets the connect string as a system property; each runner states its own value.
    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZooKeeperAutoConfiguration.class, StaticConfigAutoConfiguration.class))
            .withUserConfiguration(StaticApps.class)
            .withPropertyValues(STATIC_APP);

    @Test
    void withoutAConnectStringNothingOfZooKeeperExistsAndStaticAppsServe() {
        for (String off : new String[] {"herald.zookeeper.connect-string=", "herald.zookeeper.connect-string=  "}) {
            context.withPropertyValues(off).run(c -> {
                assertThat(c).hasNotFailed()
                        .doesNotHaveBean(ZooKeeperClient.class)
                        .doesNotHaveBean(CuratorFramework.class)
                        .doesNotHaveBean(ConfigWatcher.class)
                        .doesNotHaveBean(AccessNodeRegistration.class)
                        .doesNotHaveBean(InstanceRegistration.class);
                assertThat(c.getBean(AppDirectory.class)).isInstanceOf(AppCatalog.class);
                assertThat(c.getBean(AppDirectory.class).find("static")).isPresent();
                assertThat(c.getBean(IpBlacklist.class)).isSameAs(IpBlacklist.NONE);
            });
        }
    }

    @Test
    void withAConnectStringAppsAndBlacklistComeFromZooKeeperAndTheClientClosesWithTheContext() throws Exception {
        ZK.clear();
        ZK.putConfig("apps/zk-app", ZooKeeperExtension.appJson("zk-app", "zk-key", "default", "zk-secret-0123456789"));
        ZK.putConfig("global/blacklist-ips", ZooKeeperExtension.blacklistJson("203.0.113.0/24"));
        CuratorFramework[] curator = new CuratorFramework[1];
        context.withPropertyValues("herald.zookeeper.connect-string=" + ZK.connectString()).run(c -> {
            assertThat(c).hasNotFailed().hasSingleBean(ZooKeeperClient.class).hasSingleBean(AccessNodeRegistration.class)
                    .hasSingleBean(InstanceRegistration.class).hasSingleBean(ClusterInstances.class);
            curator[0] = c.getBean(CuratorFramework.class);
            AppDirectory apps = c.getBean(AppDirectory.class);
            assertThat(apps).isInstanceOf(SnapshotAppDirectory.class);
            // Loaded before the context finished starting: no wait needed.
            assertThat(apps.find("zk-app")).isPresent();
            assertThat(apps.find("static")).isEmpty();
            assertThat(c.getBean(IpBlacklist.class).blocks(InetAddress.getByName("203.0.113.5"))).isTrue();

            ZK.putConfig("apps/later", ZooKeeperExtension.appJson("later", "later-key", "default", "later-secret-0123456789"));
            await().atMost(ZooKeeperExtension.applyWithin()).until(() -> apps.find("later").isPresent());
        });
        assertThat(curator[0].getState()).isEqualTo(CuratorFrameworkState.STOPPED);
    }

    @Test
    void zooKeeperJoinsTheReadinessGroupOnlyWhenConfigured() {
        ApplicationContextRunner health = context
                .withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                        HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
                .withPropertyValues("management.endpoint.health.group.readiness.include=ping",
                        "management.endpoint.health.group.liveness.include=ping");

        health.withPropertyValues("herald.zookeeper.connect-string=" + ZK.connectString()).run(c -> {
            assertThat(c).hasNotFailed().hasBean("zookeeperHealthIndicator");
            HealthEndpointGroups groups = c.getBean(HealthEndpointGroups.class);
            assertThat(groups.get("readiness").isMember("zookeeper")).isTrue();
            assertThat(groups.get("readiness").isMember("ping")).isTrue();
            assertThat(groups.get("liveness").isMember("zookeeper")).isFalse();
        });
        health.withPropertyValues("herald.zookeeper.connect-string=").run(c -> {
            assertThat(c).hasNotFailed().doesNotHaveBean("zookeeperHealthIndicator");
            assertThat(c.getBean(HealthEndpointGroups.class).get("readiness").isMember("zookeeper")).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AppCatalog.class)
    static class StaticApps {
    }
}
