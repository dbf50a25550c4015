package dev.herald.configserver;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Base of the config-server's integration tests: the whole application on a random port against a real
 * ZooKeeper started for the class. The context closes with the class, before ZooKeeper stops.
 */
// Its beforeAll sets the connect string; Spring starts the context later, at the first test.
@ExtendWith(ZooKeeperServerExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class ConfigServerIntegrationTest {

    protected static final String ADMIN_TOKEN = "test-admin-token-0123456789";

    @Autowired
    protected WebTestClient web;

    /** The management port (actuator), separate from the admin API's. */
    @LocalManagementPort
    protected int managementPort;

    protected WebTestClient management() {
        return management(Duration.ofSeconds(30));
    }

    protected WebTestClient management(Duration responseTimeout) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(responseTimeout).build();
    }

    protected WebTestClient asAdmin() {
        return web.mutate().defaultHeaders(h -> h.setBearerAuth(ADMIN_TOKEN)).build();
    }
}
