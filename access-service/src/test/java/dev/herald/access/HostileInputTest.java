package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.core.app.DeviceToken;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Strangers' bytes on the device port: connect floods from one address, clients that dribble their
 * handshake (slowloris), frames over the size limit and expired tokens, on every protocol. A node with a
 * 1 s handshake deadline, 1 KiB frames and a per-address connection rate of 50/s (loopback included).
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=" + HostileInputTest.NODE,
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
        "herald.access.handshake-timeout=PT1S",
        "herald.access.max-frame-bytes=1024",
        "herald.access.connect-rate-per-ip=50",
        "herald.access.connect-burst-per-ip=50",
        "herald.access.connect-rate-limits-loopback=true",
})
@DirtiesContext
class HostileInputTest {

    static final String NODE = "access-hostile";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger DEVICES = new AtomicInteger();

    private static StubSaver saver;
    private static int port;

    @Autowired
    private MeterRegistry meters;

    @DynamicPropertySource
    static void accessProperties(DynamicPropertyRegistry registry) {
        saver = StubSaver.start();
        port = RedisServer.freePort();
        registry.add("herald.access.saver-url", saver::url);
        registry.add("herald.access.port", () -> port);
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

    private static String newDevice() {
        return "hostile-" + DEVICES.incrementAndGet();
    }

    private double sockets() {
        return meters.get("herald.access.sockets").gauge().value();
    }

    private double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    // --- connect floods ------------------------------------------------------------------------

    @Test
    void aConnectFloodFromOneAddressIsResetAtAcceptAndAWellBehavedClientGetsInAfterwards() throws Exception {
        double baseline = sockets();
        double throttledBefore = counter("herald.access.connections.throttled");
        List<Socket> flood = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 300; i++) {
                flood.add(new Socket("127.0.0.1", port));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            await().atMost(WAIT).until(() -> counter("herald.access.connections.throttled") - throttledBefore
                    + (sockets() - baseline) >= 300);
            double throttled = counter("herald.access.connections.throttled") - throttledBefore;
            System.out.printf("connect flood: 300 connections in %.3f s, %d reset at accept%n", seconds, (long) throttled);
            // The burst of 50 plus 50/s gets in; the rest is reset without a pipeline.
            assertThat(300 - throttled).isBetween(50.0, 50 + Math.ceil(50 * seconds) + 1);
            assertThat(sockets() - baseline).isLessThanOrEqualTo(50 + Math.ceil(50 * seconds) + 1);
            // The last one was refused: the client sees the connection reset (or closed) at once.
            assertThat(readUntilClosed(flood.get(flood.size() - 1), Duration.ofSeconds(2))).isEmpty();
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
        await().atMost(WAIT).until(() -> sockets() == baseline);
        // Once the address has slowed down, its bucket refills and a real device is let in.
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            try (TestDevice device = TestDevice.connected(port, newDevice(), DEMO, DEMO_SECRET)) {
                return device.isOpen();
            }
        });
    }

    // --- slowloris -----------------------------------------------------------------------------

    @Test
    void clientsDribblingTheirHandshakeAreClosedAtTheDeadlineOnEveryProtocolAndTheirSocketsFreed() throws Exception {
        double baseline = sockets();
        byte[] nativeConnect = encode(new Frame.Connect(1, 30, "slow-native", DEMO,
                TestDevice.token(DEMO, DEMO_SECRET, "slow-native"), 0));
        byte[] upgrade = ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] mqttConnect = {0x10, 16, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 4, 's', 'l', 'o', 'w'};

        List<CompletableFuture<Slowloris>> clients = List.of(
                CompletableFuture.supplyAsync(() -> Slowloris.dribble(port, nativeConnect)),
                CompletableFuture.supplyAsync(() -> Slowloris.dribble(port, upgrade)),
                CompletableFuture.supplyAsync(() -> Slowloris.dribble(port, mqttConnect)));
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        for (CompletableFuture<Slowloris> client : clients) {
            Slowloris outcome = client.get(5, TimeUnit.SECONDS);
            assertThat(outcome.closedByServer()).as("closed by the node").isTrue();
            assertThat(outcome.bytesSent()).as("the handshake was never complete").isLessThan(20);
            assertThat(outcome.openFor()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
        }
        // The native client is told why.
        Frame answer = decode(clients.get(0).get(5, TimeUnit.SECONDS).received());
        assertThat(answer).isInstanceOfSatisfying(Frame.Disconnect.class,
                d -> assertThat(d.code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT));
        await().atMost(WAIT).until(() -> sockets() == baseline);
    }

    /** What a client that sends one byte every 100 ms saw. */
    private record Slowloris(boolean closedByServer, int bytesSent, Duration openFor, byte[] received) {

        static Slowloris dribble(int port, byte[] handshake) {
            long start = System.nanoTime();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(100);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream received = new ByteArrayOutputStream();
                int sent = 0;
                byte[] buffer = new byte[512];
                long giveUp = start + TimeUnit.SECONDS.toNanos(8);
                while (System.nanoTime() < giveUp) {
                    try {
                        if (sent < handshake.length - 1) {
                            out.write(handshake[sent]);
                            out.flush();
                            sent++;
                        }
                    } catch (IOException closed) {
                        return new Slowloris(true, sent, Duration.ofNanos(System.nanoTime() - start),
                                received.toByteArray());
                    }
                    try {
                        // Also paces the dribble: the read waits up to 100 ms for the node.
                        int n = in.read(buffer);
                        if (n < 0) {
                            return new Slowloris(true, sent, Duration.ofNanos(System.nanoTime() - start),
                                    received.toByteArray());
                        }
                        received.write(buffer, 0, n);
                    } catch (SocketTimeoutException quiet) {
                        // nothing yet: keep dribbling
                    } catch (SocketException reset) {
                        return new Slowloris(true, sent, Duration.ofNanos(System.nanoTime() - start),
                                received.toByteArray());
                    }
                }
                return new Slowloris(false, sent, Duration.ofNanos(System.nanoTime() - start), received.toByteArray());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // --- oversized frames ----------------------------------------------------------------------

    @Test
    void anOversizedNativeFrameIsAnsweredWithFrameTooLargeAndClosed() {
        try (TestDevice device = TestDevice.connected(port, newDevice(), DEMO, DEMO_SECRET)) {
            device.send(new Frame.Uplink(2, DEMO, new byte[2000]));

            Frame.Disconnect disconnect = device.next(Frame.Disconnect.class);
            assertThat(disconnect.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(disconnect.message()).contains("1024");
            assertThat(device.awaitClosed()).isTrue();
        }
    }

    @Test
    void anOversizedWebSocketMessageWholeOrInFragmentsIsClosedWithMessageTooBig() throws Exception {
        for (boolean fragmented : new boolean[] {false, true}) {
            String deviceId = newDevice();
            try (WsDevice device = new WsDevice(deviceId, port)) {
                assertThat(device.connect(List.of(new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId),
                        0))).code()).isEqualTo(ErrorCode.OK);
                if (fragmented) {
                    device.socket.sendBinary(ByteBuffer.wrap(new byte[700]), false).get(10, TimeUnit.SECONDS);
                    device.socket.sendBinary(ByteBuffer.wrap(new byte[700]), true).get(10, TimeUnit.SECONDS);
                } else {
                    device.socket.sendBinary(ByteBuffer.wrap(new byte[2000]), true).get(10, TimeUnit.SECONDS);
                }

                assertThat(device.closed.get(10, TimeUnit.SECONDS)).as("close code, fragmented=" + fragmented)
                        .isEqualTo(1009);
            }
        }
    }

    @Test
    void anOversizedMqttPacketClosesTheConnectionAndIsCounted() throws Exception {
        String deviceId = newDevice();
        double before = counter("herald.access.connections.rejected", "reason", "mqtt-oversized");
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, deviceId, new MemoryPersistence());
        try {
            client.connect(mqttOptions(TestDevice.token(DEMO, DEMO_SECRET, deviceId)));
            MqttMessage big = new MqttMessage(new byte[2000]);
            big.setQos(0);
            client.publish("herald/demo/up", big);

            await().atMost(WAIT).until(() -> !client.isConnected());
            await().atMost(WAIT).until(() -> counter("herald.access.connections.rejected", "reason", "mqtt-oversized")
                    == before + 1);
        } finally {
            client.close(true);
        }
    }

    // --- expired tokens ------------------------------------------------------------------------

    @Test
    void anExpiredTokenIsRefusedWithTokenExpiredOverWebSocketAndNotAuthorizedOverMqtt() throws Exception {
        String wsDevice = newDevice();
        String expiredWs = DeviceToken.mint(DEMO_SECRET, DEMO, wsDevice, Instant.now().minusSeconds(1));
        try (WsDevice device = new WsDevice(wsDevice, port)) {
            Frame.ConnAck ack = device.connect(List.of(new Frame.AppLogin(DEMO, expiredWs, 0)));
            assertThat(ack.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
            assertThat(device.closed.get(10, TimeUnit.SECONDS)).isNotNull();
        }

        String mqttDevice = newDevice();
        String expiredMqtt = DeviceToken.mint(DEMO_SECRET, DEMO, mqttDevice, Instant.now().minusSeconds(1));
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, mqttDevice, new MemoryPersistence());
        try {
            // 5, not 4: the token was genuine, it only has to be renewed.
            assertThatThrownBy(() -> client.connect(mqttOptions(expiredMqtt)))
                    .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode())
                            .isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
        } finally {
            client.close(true);
        }
    }

    private static MqttConnectOptions mqttOptions(String token) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(10);
        options.setUserName(DEMO);
        options.setPassword(token.toCharArray());
        return options;
    }

    private static byte[] encode(Frame frame) {
        ByteBuf buf = FrameCodec.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    private static Frame decode(byte[] withLengthPrefix) {
        assertThat(withLengthPrefix.length).as("a frame was received").isGreaterThan(4);
        return FrameCodec.decode(Unpooled.wrappedBuffer(Arrays.copyOfRange(withLengthPrefix, 4, withLengthPrefix.length)));
    }

    /** Everything received until the node closes or resets the connection. */
    private static byte[] readUntilClosed(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[512];
        try {
            int n;
            while ((n = socket.getInputStream().read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset is a close too
        }
        return all.toByteArray();
    }
}
