package dev.herald.configserver.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.MediaType;

class EmbeddedZooKeeperTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutConnectStringAnEmbeddedZooKeeperIsStartedSeededAndStoppedWithTheServer() {
        String[] args = {
                // Wins over a system property left by another test class.
                "--herald.config-server.zookeeper.connect-string=",
                "--herald.config-server.embedded-zookeeper.port=0",
                "--herald.config-server.embedded-zookeeper.data-dir=" + dataDir
        };
        int zooKeeperPort;
        try (RunningConfigServer server = RunningConfigServer.start(args)) {
            ZooKeeperEnsemble ensemble = server.bean(ZooKeeperEnsemble.class);
            assertThat(ensemble.embedded()).isTrue();
            String connectString = ensemble.connectString();
            zooKeeperPort = Integer.parseInt(connectString.substring(connectString.lastIndexOf(':') + 1));
            assertThat(zooKeeperPort).isPositive();
            assertThat(isListening(zooKeeperPort)).isTrue();

            server.admin().get().uri("/admin/v1/config/apps/demo").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.version").isEqualTo(0)
                    .jsonPath("$.value.key").isEqualTo("demo-key");
            server.management().get().uri("/actuator/health").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.components.zookeeper.status").isEqualTo("UP")
                    .jsonPath("$.components.zookeeper.details.embedded").isEqualTo(true)
                    .jsonPath("$.components.zookeeper.details.connectString").isEqualTo(ensemble.connectString());
            server.admin().put().uri("/admin/v1/config/global/settings").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"expectedVersion\": 0, \"value\": {\"greeting\": \"hello\"}}").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.version").isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !isListening(zooKeeperPort));
        assertThat(dataDir.resolve("version-2")).isDirectory();

        // The data directory survives: a second start finds the tree and seeds nothing.
        try (RunningConfigServer server = RunningConfigServer.start(args)) {
            server.admin().get().uri("/admin/v1/config/global/settings").exchange()
                    .expectStatus().isOk()
                    .expectBody()
                    .jsonPath("$.version").isEqualTo(1)
                    .jsonPath("$.value.greeting").isEqualTo("hello");
            server.admin().get().uri("/admin/v1/config/apps/demo").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.version").isEqualTo(0);
        }
        assertThat(Files.exists(dataDir)).isTrue();
    }

    private static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
