package dev.herald.configserver.zookeeper;

import dev.herald.configserver.ConfigServerApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A config-server started in-process the way an operator starts it (command-line arguments, no test
 * context), for tests about its lifecycle. Closing it stops the server, the ZooKeeper client and an embedded
 * ZooKeeper.
 */
final class RunningConfigServer implements AutoCloseable {

    static final String ADMIN_TOKEN = "lifecycle-admin-token-0123456789";

    private final ConfigurableApplicationContext context;

    private RunningConfigServer(ConfigurableApplicationContext context) {
        this.context = context;
    }

    static RunningConfigServer start(String... extraArgs) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                "--herald.config-server.admin-token=" + ADMIN_TOKEN,
                "--logging.level.org.apache.zookeeper=WARN",
                "--logging.level.org.apache.curator=WARN"));
        args.addAll(List.of(extraArgs));
        return new RunningConfigServer(new SpringApplicationBuilder(ConfigServerApplication.class)
                .run(args.toArray(String[]::new)));
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    WebTestClient client() {
        int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
    }

    /** The management port: health, metrics, pools, profiles. */
    WebTestClient management() {
        int port = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    WebTestClient admin() {
        return client().mutate().defaultHeaders(h -> h.setBearerAuth(ADMIN_TOKEN)).build();
    }

    @Override
    public void close() {
        context.close();
    }
}
