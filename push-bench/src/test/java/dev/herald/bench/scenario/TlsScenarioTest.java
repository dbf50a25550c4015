package dev.herald.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.bench.device.DeviceTls;
import dev.herald.bench.report.Report;
import dev.herald.bench.report.ReportWriter;
import dev.herald.bench.testing.StubAccessNode;
import dev.herald.bench.testing.StubPushApi;
import dev.herald.bench.worker.ForkedWorkers;
import dev.herald.bench.worker.LocalWorker;
import dev.herald.testsupport.TestCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.SecureRandom;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Devices over TLS ({@code --tls --ca-file}) against a stub node that takes TLS only, with a certificate of a local CA. */
class TlsScenarioTest {

    private static final String SECRET = "test-secret-0123456789";

    @TempDir
    static Path certificates;
    private static TestCertificates authority;
    private static SslContext serverTls;

    private final ByteArrayOutputStream lines = new ByteArrayOutputStream();
    private StubAccessNode node;

    @BeforeAll
    static void makeCertificates() throws SSLException {
        authority = TestCertificates.authority(certificates);
        Path[] server = authority.server("node", 1);
        serverTls = SslContextBuilder.forServer(server[0].toFile(), server[1].toFile()).protocols("TLSv1.3", "TLSv1.2").build();
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private DeviceSpec devices(int count, DeviceTls tls) {
        return new DeviceSpec("native", List.of(node.address()), "demo", SECRET, "tls-", count, 0, 0, 8, "", 1, 10).withTls(tls);
    }

    private static SendSpec broadcasts(String api, int messages) {
        return new SendSpec(api, "key", messages, false, 0, 64, false, 0, 0, 0, 1, 5, 1, PushApiClient.Auth.SIGNED);
    }

    private static SendSpec noSend() {
        return new SendSpec("", "", 0, false, 0, 0, false, 0, 0, 0, 1, 0, 1, PushApiClient.Auth.SIGNED);
    }

    private List<String> printed() {
        return lines.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aForkedWorkerConnectsOverTlsAndEveryBroadcastReachesEveryDevice() throws InterruptedException {
        node = new StubAccessNode("demo", SECRET, serverTls);
        try (StubPushApi api = new StubPushApi(node)) {
            DeviceSpec tls = devices(20, DeviceTls.trusting(authority.caCertificate().toString()));
            ScenarioSpec spec = new ScenarioSpec("broadcast", tls, broadcasts(api.baseUrl(), 3), new NodeSpec("", 0), 0);

            // a forked worker: the TLS settings must travel in the task it is given
            Report report = ScenarioRunner.run(spec, new ForkedWorkers(1, List.of(), "tls"),
                    new PrintStream(lines, true, StandardCharsets.UTF_8));

            assertThat(printed()).anySatisfy(l -> assertThat(l).startsWith("[connect] 20/20 devices connected"));
            assertThat(printed()).anySatisfy(l -> assertThat(l).startsWith("[broadcast] 3/3 broadcasts").contains("60/60 delivered"));
            assertThat(node.tlsLogins()).as("every login came through a TLS session").hasSize(20);
            JsonNode settings = ReportWriter.JSON.readTree(ReportWriter.toJson(report, false)).path("settings").path("devices");
            assertThat(settings.path("tls").path("enabled").asBoolean()).isTrue();
            assertThat(settings.path("tls").path("caFile").asString()).isEqualTo(authority.caCertificate().toString());
        }
    }

    @Test
    void withResumptionTheMeasuredConnectsResumeTheSessionsOfAFirstRound() throws Exception {
        Path[] server = authority.server("tickets", 1);
        SslContext withTickets = SslContextBuilder.forServer(server[0].toFile(), server[1].toFile())
                .sslProvider(SslProvider.OPENSSL).protocols("TLSv1.3").build();
        // like the access node: Netty's OpenSSL contexts send no session ticket until keys are set
        byte[] name = new byte[16];
        byte[] hmac = new byte[16];
        byte[] aes = new byte[16];
        new SecureRandom().nextBytes(hmac);
        new SecureRandom().nextBytes(aes);
        ((OpenSslSessionContext) withTickets.sessionContext()).setTicketKeys(new OpenSslSessionTicketKey(name, hmac, aes));
        node = new StubAccessNode("demo", SECRET, withTickets);
        DeviceTls trusting = DeviceTls.trusting(authority.caCertificate().toString());

        Report full = ScenarioRunner.run(new ScenarioSpec("connect", devices(6, trusting), noSend(), new NodeSpec("", 0), 0),
                new LocalWorker("local"), new PrintStream(lines, true, StandardCharsets.UTF_8));
        Report resumed = ScenarioRunner.run(new ScenarioSpec("connect", devices(6, trusting.resuming()), noSend(),
                new NodeSpec("", 0), 0), new LocalWorker("local"), new PrintStream(lines, true, StandardCharsets.UTF_8));

        assertThat(connectFigures(full).path("connected").asInt()).isEqualTo(6);
        assertThat(connectFigures(full).path("tlsResumed").asLong()).as("a fresh client has no session to resume").isZero();
        assertThat(connectFigures(resumed).path("connected").asInt()).isEqualTo(6);
        assertThat(connectFigures(resumed).path("tlsResumed").asLong()).as("every measured handshake resumed").isEqualTo(6);
        assertThat(printed()).anySatisfy(l -> assertThat(l).startsWith("[connect] 6/6 devices connected").endsWith("6 TLS sessions resumed"));
    }

    @Test
    void aCertificateThatDoesNotNameTheServerIsRefused() throws InterruptedException {
        node = new StubAccessNode("demo", SECRET, serverTls);
        DeviceTls wrongName = DeviceTls.trusting(authority.caCertificate().toString()).withServerName("other.example");

        Report report = ScenarioRunner.run(new ScenarioSpec("connect", devices(3, wrongName), noSend(), new NodeSpec("", 0), 0),
                new LocalWorker("local"), new PrintStream(lines, true, StandardCharsets.UTF_8));

        assertThat(connectFailures(report)).isEqualTo(3);
        assertThat(failureReasons(report)).containsKey("SSLHandshakeException");
        assertThat(node.loggedIn()).isEmpty();
    }

    @Test
    void aCertificateOfAnUntrustedAuthorityIsRefused() throws InterruptedException {
        node = new StubAccessNode("demo", SECRET, serverTls);

        Report report = ScenarioRunner.run(new ScenarioSpec("connect", devices(3, DeviceTls.trusting("")), noSend(),
                new NodeSpec("", 0), 0), new LocalWorker("local"), new PrintStream(lines, true, StandardCharsets.UTF_8));

        assertThat(connectFailures(report)).as("the JDK's trust store does not hold the test CA").isEqualTo(3);
        assertThat(failureReasons(report)).containsKey("SSLHandshakeException");
        assertThat(node.loggedIn()).isEmpty();
    }

    private static JsonNode connectFigures(Report report) {
        return ReportWriter.JSON.readTree(ReportWriter.toJson(report, false)).path("phases").get(0).path("figures");
    }

    private static int connectFailures(Report report) {
        return ReportWriter.JSON.readTree(ReportWriter.toJson(report, false)).path("phases").get(0).path("figures").path("failed").asInt();
    }

    private static java.util.Map<String, Object> failureReasons(Report report) {
        JsonNode failures = ReportWriter.JSON.readTree(ReportWriter.toJson(report, false)).path("phases").get(0).path("figures").path("failures");
        return ReportWriter.JSON.convertValue(failures, java.util.Map.class);
    }
}
