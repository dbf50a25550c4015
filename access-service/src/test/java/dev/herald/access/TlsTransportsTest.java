package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.access.tls.ServerTls;
import dev.herald.client.PushClient;
import dev.herald.client.PushListener;
import dev.herald.client.PushMessage;
import dev.herald.core.message.DeliveryCommand;
import dev.herald.core.offline.OfflineApi;
import dev.herald.core.redis.RedisKeys;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.Prerequisites;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import dev.herald.testsupport.TestCertificates;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * TLS on the one device port, with clients nobody here wrote where one exists: the Java SDK (native frames),
 * the JDK's WebSocket client over {@code wss://}, Debian's {@code mosquitto_sub --cafile} over {@code mqtts},
 * a plaintext client beside them, and raw sockets for the bad cases. Certificates come from a CA made with
 * openssl at test time ({@link TestCertificates}).
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=" + TlsTransportsTest.NODE,
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
        "herald.access.handshake-timeout=PT3S",
        "herald.access.tls.reload-interval=PT0.2S",
})
@DirtiesContext
class TlsTransportsTest {

    static final String NODE = "access-tls";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final AtomicInteger DEVICES = new AtomicInteger();

    @TempDir
    static Path certificates;
    private static TestCertificates authority;
    private static StubSaver saver;
    private static int port;

    @Autowired
    private ReactiveStringRedisTemplate redis;
    @Autowired
    private JsonMapper json;
    @Autowired
    private MeterRegistry meters;
    @Autowired
    private ServerTls tls;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

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

    @BeforeEach
    void captureLogs() {
        logs.start();
        root().addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        root().detachAppender(logs);
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String newDevice() {
        return "tls-" + DEVICES.incrementAndGet();
    }

    private static long inOneHour() {
        return System.currentTimeMillis() + 3_600_000;
    }

    private void xadd(DeliveryCommand command) {
        redis.opsForStream().add(RedisKeys.deliveries(NODE),
                Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(command))).block(WAIT);
    }

    private double rejected(String reason) {
        var counter = meters.find("herald.access.connections.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private double handshakes(String result) {
        return meters.get("herald.access.tls.handshakes").tag("result", result).counter().count();
    }

    private void assertNoErrorLogged() {
        assertThat(logs.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getThrowableProxy() != null);
    }

    private static final class Received implements PushListener {
        final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public void onPush(PushMessage message) {
            texts.add(new String(message.payload(), StandardCharsets.UTF_8));
        }
    }

    private static PushClient sdkDevice(String deviceId, Received listener) {
        PushClient client = PushClient.builder()
                .server("localhost", port)
                .tlsTrusting(authority.caCertificate().toFile())
                .deviceId(deviceId)
                .app(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId))
                .listener(listener)
                .reconnect(false)
                .build();
        client.connect().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return client;
    }

    @Test
    void theJavaSdkConnectsOverTlsAndReceivesAPush() {
        String deviceId = newDevice();
        double before = handshakes("ok");
        Received received = new Received();
        try (PushClient client = sdkDevice(deviceId, received)) {
            xadd(new DeliveryCommand(MessageId.generate().toString(), DEMO, false, 0, List.of(deviceId),
                    "over tls".getBytes(StandardCharsets.UTF_8), inOneHour()));
            await().atMost(WAIT).until(() -> received.texts.contains("over tls"));
            assertThat(handshakes("ok")).isGreaterThan(before);
        }
        assertThat(tls.providerName()).as("BoringSSL loads on linux-x86_64").isEqualTo("openssl");
    }

    @Test
    void aPlaintextDeviceStillConnectsOnTheSamePort() {
        try (TestDevice device = TestDevice.connected(port, newDevice(), DEMO, DEMO_SECRET)) {
            device.assertNothingBeforePong();
        }
    }

    @Test
    void aWssClientGetsItsBacklogOverTheSamePort() {
        String deviceId = newDevice();
        String missed = MessageId.generate().toString();
        saver.backlog(DEMO, deviceId, List.of(new OfflineApi.OfflineMessage(missed, DEMO, false, 0,
                "missed".getBytes(StandardCharsets.UTF_8), inOneHour())));
        HttpClient https = HttpClient.newBuilder().sslContext(authority.clientContext()).build();
        try (WsDevice device = new WsDevice(deviceId, URI.create("wss://localhost:" + port + "/ws"), https)) {
            Frame.ConnAck ack = device.connect(List.of(
                    new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId), 0)));
            assertThat(ack.code()).isEqualTo(ErrorCode.OK);
            assertThat(device.next(Frame.Push.class).messageId().toString()).isEqualTo(missed);
        }
    }

    @Test
    void mosquittoSubOverMqttsGetsItsBacklog() throws Exception {
        File sub = new File("/usr/bin/mosquitto_sub");
        Prerequisites.require(sub.canExecute(), "mosquitto_sub (apt-get install -y mosquitto-clients; .ci/run does)");
        String deviceId = newDevice();
        saver.backlog(DEMO, deviceId, List.of(new OfflineApi.OfflineMessage(MessageId.generate().toString(), DEMO,
                false, 0, "stored-for-mqtts".getBytes(StandardCharsets.UTF_8), inOneHour())));
        Process process = new ProcessBuilder(sub.getPath(), "--cafile", authority.caCertificate().toString(),
                "-h", "localhost", "-p", String.valueOf(port), "-V", "mqttv311", "-i", deviceId, "-u", DEMO,
                "-P", TestDevice.token(DEMO, DEMO_SECRET, deviceId), "-q", "1",
                "-t", "herald/" + DEMO + "/devices/" + deviceId, "-C", "1", "-W", "20")
                .redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("stored-for-mqtts");
            assertThat(process.exitValue()).isZero();
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * TLS 1.3 resumption: the node sends session tickets (Netty's OpenSSL context sends none until ticket keys
     * are set), and a client that kept one resumes instead of a full handshake. openssl s_client is the client:
     * it saves the ticket that arrives after the handshake and offers it on the next connection.
     */
    @Test
    void aClientThatKeptItsTicketResumesItsTls13Session() throws Exception {
        Path session = certificates.resolve("session-" + DEVICES.incrementAndGet() + ".pem");

        assertThat(sClient("-sess_out", session, "Post-Handshake New Session Ticket arrived")).contains("New, TLSv1.3");
        assertThat(sClient("-sess_in", session, "Reused, TLSv1.3")).contains("Verify return code: 0 (ok)");
    }

    /** Runs openssl s_client against the node until its output shows {@code awaited}, then ends it. */
    private String sClient(String sessionOption, Path session, String awaited) throws Exception {
        Process process = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-CAfile", authority.caCertificate().toString(), "-verify_return_error",
                sessionOption, session.toString())
                .redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                byte[] buffer = new byte[4096];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    output.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                output.append(e);
            }
        });
        reader.start();
        try {
            await().atMost(WAIT).until(() -> output.indexOf(awaited) >= 0 || !process.isAlive());
            assertThat(output.toString()).contains(awaited);
            process.getOutputStream().close();
            assertThat(process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            reader.join(WAIT.toMillis());
            return output.toString();
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void garbageAfterTheTlsRecordByteIsClosedAndCounted() throws IOException {
        double before = rejected("tls-handshake");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            // A handshake record header, then bytes that are no ClientHello.
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x08, 'g', 'a', 'r', 'b', 'a', 'g', 'e', '!'});
            socket.getOutputStream().flush();
            readToEnd(socket.getInputStream());
        }
        await().atMost(WAIT).until(() -> rejected("tls-handshake") == before + 1);
        assertNoErrorLogged();
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateEndsTheHandshakeAndTheNodeCountsIt() throws Exception {
        double before = handshakes("failed");
        // The JDK's default trust store has never heard of the test CA.
        try (SSLSocket socket = (SSLSocket) SSLContext.getDefault().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
        await().atMost(WAIT).until(() -> handshakes("failed") >= before + 1);
        assertNoErrorLogged();
    }

    @Test
    void aTlsHandshakeThatNeverFinishesMeetsTheDeadline() throws IOException {
        double before = rejected("tls-timeout");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            socket.getOutputStream().flush();
            readToEnd(socket.getInputStream());
        }
        await().atMost(WAIT).until(() -> rejected("tls-timeout") == before + 1);
        assertNoErrorLogged();
    }

    @Test
    void aRenewedCertificateServesNewConnectionsWhileOpenOnesStay() throws Exception {
        String deviceId = newDevice();
        Received received = new Received();
        try (PushClient open = sdkDevice(deviceId, received)) {
            BigInteger before = presentedSerial();
            // Issued elsewhere and moved in, as a certificate renewal would.
            Path[] renewed = authority.server("renewed", 2);
            Files.copy(renewed[1], certificates.resolve("node.key"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(renewed[0], certificates.resolve("node.pem"), StandardCopyOption.REPLACE_EXISTING);
            BigInteger expected = TestCertificates.serialOf(renewed[0]);
            assertThat(expected).isNotEqualTo(before);

            await().atMost(WAIT).until(() -> expected.equals(presentedSerial()));
            assertThat(open.isConnected()).isTrue();
            xadd(new DeliveryCommand(MessageId.generate().toString(), DEMO, false, 0, List.of(deviceId),
                    "after renewal".getBytes(StandardCharsets.UTF_8), inOneHour()));
            await().atMost(WAIT).until(() -> received.texts.contains("after renewal"));
        }
    }

    /** The serial number of the certificate a new connection is shown. */
    private BigInteger presentedSerial() throws IOException {
        try (SSLSocket socket = (SSLSocket) authority.clientContext().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** Reads until the server closes (EOF) or resets, failing on the read timeout. */
    private static void readToEnd(InputStream in) throws IOException {
        byte[] buffer = new byte[1024];
        try {
            while (in.read(buffer) >= 0) {
                // drain
            }
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
    }
}
