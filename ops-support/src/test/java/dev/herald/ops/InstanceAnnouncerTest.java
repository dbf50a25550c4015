package dev.herald.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.config.ZooKeeperAutoConfiguration;
import dev.herald.config.nodes.ClusterInstance;
import dev.herald.config.nodes.ClusterInstances;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.ops.instances.InstanceAnnouncer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/** The cluster listing entry follows the application's life: in when ready, out as soon as it closes. */
class InstanceAnnouncerTest {

    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ZooKeeperAutoConfiguration.class, MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, OpsAutoConfiguration.class))
            .withPropertyValues("spring.application.name=announced", "herald.ops.profiling.enabled=false",
                    "herald.ops.advertised-host=10.1.2.3", "local.server.port=8123", "local.management.port=9123");

    /** As SpringApplication does when the application is ready (the runner's context is a proxy of the real one). */
    private static void ready(AssertableApplicationContext c) {
        ConfigurableApplicationContext real = (ConfigurableApplicationContext) c.getSourceApplicationContext();
        real.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], real, Duration.ZERO));
    }

    @Test
    void anInstanceIsListedOnceReadyAndLeavesWhenItsContextCloses() throws Exception {
        ZK.clear();
        ClusterInstances[] listing = new ClusterInstances[1];
        context.withPropertyValues("herald.zookeeper.connect-string=" + ZK.connectString(), "herald.ops.node=n-1",
                "herald.ops.cell=west").run(c -> {
            assertThat(c).hasSingleBean(InstanceAnnouncer.class);
            listing[0] = c.getBean(ClusterInstances.class);
            assertThat(listing[0].list()).isEmpty();

            ready(c);

            List<ClusterInstance> instances = listing[0].list();
            assertThat(instances).hasSize(1);
            ClusterInstance self = instances.get(0);
            assertThat(self.service()).isEqualTo("announced");
            assertThat(self.node()).isEqualTo("n-1");
            assertThat(self.cell()).isEqualTo("west");
            assertThat(self.host()).isEqualTo("10.1.2.3");
            assertThat(self.port()).isEqualTo(8123);
            assertThat(self.managementPort()).isEqualTo(9123);
        });
        assertThat(ZK.children(ZooKeeperExtension.ROOT + "/instances/announced")).isEmpty();
    }

    @Test
    void withoutZooKeeperOrWhenSwitchedOffNothingIsAnnounced() {
        context.withPropertyValues("herald.zookeeper.connect-string=").run(c ->
                assertThat(c).hasNotFailed().doesNotHaveBean(InstanceAnnouncer.class));
        context.withPropertyValues("herald.zookeeper.connect-string=" + ZK.connectString(),
                "herald.ops.register-instance=false").run(c ->
                assertThat(c).hasNotFailed().doesNotHaveBean(InstanceAnnouncer.class));
    }
}
