package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import dev.herald.protocol.Frame;

/** {@code herald.access.tls.required}: a plaintext client is closed without a word, a TLS one is served. */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=access-tls-required",
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
        "herald.access.tls.required=true",
})
@DirtiesContext
class TlsRequiredTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    static Path certificates;
    private static TestCertificates authority;
    private static StubSaver saver;
    private static int port;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void accessProperties(DynamicPropertyRegistry registry) {
        authority = TestCertificates.authority(certificates);
        Path[] server = authority.server("node", 2);
        saver = StubSaver.start();
        port = RedisServer.freePort();
        registry.add("herald.access.saver-url", saver::url);
        registry.add("herald.access.port", () -> port);
        registry.add("herald.access.tls.certificate", server[0]::toString);
        registry.add("herald.access.tls.private-key", server[1]::toString);
        for (String app : TestDevice.APPS) {
            int eq = app.indexOf('=');
            registry.add(app.substring(0, eq), () -> app.substring(eq + 1));
        }
    }

    @AfterAll
    static void stopSaver() {
        if (saver != null) {
            saver.close();
        }
    }

    private double rejected(String reason) {
        var counter = meters.find("herald.access.connections.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aPlaintextConnectIsClosedUnansweredAndCounted() {
        double before = rejected("tls-required");
        try (TestDevice device = TestDevice.open("plain-1", port)) {
            device.send(new Frame.Connect(1, 30, "plain-1",
                    List.of(new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, "plain-1"), 0))));
            assertThat(device.awaitClosed()).isTrue();
            assertThat(device.receivedNothing()).isTrue();
        }
        await().atMost(WAIT).until(() -> rejected("tls-required") == before + 1);
    }

    @Test
    void aTlsDeviceIsServed() {
        try (PushClient client = PushClient.builder()
                .server("localhost", port)
                .tlsTrusting(authority.caCertificate().toFile())
                .deviceId("tls-1")
                .app(DEMO, TestDevice.token(DEMO, DEMO_SECRET, "tls-1"))
                .reconnect(false)
                .build()) {
            client.connect().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(client.isConnected()).isTrue();
        }
    }
}
