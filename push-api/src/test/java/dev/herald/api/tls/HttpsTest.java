package dev.herald.api.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.api.SharedRedis;
import dev.herald.testsupport.TestCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * push-api over HTTPS with nothing but configuration (docs/security.md, "HTTPS on push-api"): a Spring Boot PEM SSL
 * bundle named in {@code server.ssl.bundle}, certificates from test-support's {@link TestCertificates} (openssl),
 * reloaded when the files change. The management port serves the same bundle (Boot's default).
 */
@ExtendWith(SharedRedis.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@DirtiesContext
class HttpsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestCertificates certificates;
    private static Path certificate;

    @LocalServerPort
    private int port;
    @LocalManagementPort
    private int managementPort;

    @DynamicPropertySource
    static void https(DynamicPropertyRegistry registry) throws IOException {
        certificates = TestCertificates.authority(Files.createTempDirectory("herald-api-tls"));
        Path[] issued = certificates.server("api", 1);
        certificate = issued[0];
        registry.add("server.ssl.bundle", () -> "api");
        registry.add("spring.ssl.bundle.pem.api.keystore.certificate", () -> "file:" + issued[0]);
        registry.add("spring.ssl.bundle.pem.api.keystore.private-key", () -> "file:" + issued[1]);
        registry.add("spring.ssl.bundle.pem.api.options.enabled-protocols", () -> "TLSv1.3,TLSv1.2");
        registry.add("spring.ssl.bundle.pem.api.reload-on-update", () -> "true");
        // Boot's default quiet period is 10 s; the test need not wait that long for the renewal to be noticed.
        registry.add("spring.ssl.bundle.watch.file.quiet-period", () -> "200ms");
    }

    @Test
    void aTokenIsMintedOverHttpsWithTheBundlesCertificate() throws Exception {
        HttpResponse<String> minted = mintOverHttps();

        assertThat(minted.statusCode()).as(minted.body()).isEqualTo(201);
        assertThat(minted.body()).contains("\"token\":\"v2.");
        assertThat(minted.sslSession()).hasValueSatisfying(session -> {
            assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(servedSerial(session)).isEqualTo(TestCertificates.serialOf(certificate));
        });
    }

    @Test
    void plainHttpOnTheHttpsPortGetsNoAnswer() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();

        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    /** Boot's default, kept: the management port uses the same bundle unless management.server.ssl says otherwise. */
    @Test
    void theManagementPortServesTheSameCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext()).connectTimeout(WAIT).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + managementPort + "/actuator/health")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession()).hasValueSatisfying(session ->
                assertThat(servedSerial(session)).isEqualTo(TestCertificates.serialOf(certificate)));
    }

    @Test
    void aRenewedCertificateIsServedWithoutARestart() throws Exception {
        BigInteger before = servedSerial(mintOverHttps().sslSession().orElseThrow());

        certificates.server("api", 2);
        BigInteger renewed = TestCertificates.serialOf(certificate);
        assertThat(renewed).isNotEqualTo(before);

        // Each check on a new client, so on a new connection and handshake.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
                .until(() -> servedSerial(mintOverHttps().sslSession().orElseThrow()), renewed::equals);
    }

    private HttpResponse<String> mintOverHttps() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(certificates.clientContext()).connectTimeout(WAIT).build();
        String basic = Base64.getEncoder().encodeToString("demo-key:demo-secret-0123456789".getBytes(StandardCharsets.UTF_8));
        // "localhost": the certificate's name, checked by the JDK client (host name verification on).
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/apps/demo/device-tokens"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/json")
                        .timeout(WAIT)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"tls-device\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static BigInteger servedSerial(javax.net.ssl.SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSerialNumber();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            throw new AssertionError(e);
        }
    }
}
