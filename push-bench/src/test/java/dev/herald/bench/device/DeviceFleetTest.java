package dev.herald.bench.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.bench.testing.StubAccessNode;
import dev.herald.bench.worker.BenchPayload;
import dev.herald.bench.worker.ReceiveLog;
import dev.herald.bench.worker.ReceiveStats;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceFleetTest {

    private static final String SECRET = "test-secret-0123456789";

    private final StubAccessNode node = new StubAccessNode("demo", SECRET);

    @AfterEach
    void stopNode() {
        node.close();
    }

    private FleetSettings settings(String secret, int count, String sources, List<InetSocketAddress> servers) {
        return new FleetSettings(Protocol.NATIVE, servers, "demo", secret, "dev-", 100, count, 0, 8,
                SourceAddresses.parse(sources), 1, Duration.ofSeconds(5), Duration.ofHours(1));
    }

    private List<InetSocketAddress> stub() {
        String[] hp = node.address().split(":");
        return List.of(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])));
    }

    @Test
    void devicesLogInFromEverySourceAddressInTurn() throws InterruptedException {
        try (DeviceFleet fleet = new DeviceFleet(settings(SECRET, 20, "127.0.0.2-127.0.0.3", stub()), new ReceiveLog(1))) {
            ConnectOutcome outcome = fleet.connectAll();

            assertThat(outcome.connected()).isEqualTo(20);
            assertThat(outcome.failed()).isZero();
            assertThat(outcome.handshakeMicros().getTotalCount()).isEqualTo(20);
            assertThat(node.loggedIn()).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(100, 120).mapToObj(i -> "dev-" + i).toList());
            assertThat(node.remoteHosts()).containsExactlyInAnyOrder("127.0.0.2", "127.0.0.3");
            assertThat(fleet.openConnections()).isEqualTo(20);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> node.openConnections() == 0);
    }

    @Test
    void aPushIsRecordedAndAcknowledgedWithTheBroadcastCursor() throws InterruptedException {
        ReceiveLog log = new ReceiveLog(77);
        try (DeviceFleet fleet = new DeviceFleet(settings(SECRET, 2, "", stub()), log)) {
            fleet.connectAll();
            MessageId id = MessageId.generate();
            byte[] payload = BenchPayload.encode(BenchPayload.BROADCAST, 77, 0, Instant.now(), 64);
            node.push("dev-101", new Frame.Push(1, Frame.Push.FLAG_BROADCAST, id, "demo", 3, payload));
            node.push("dev-100", new Frame.Push(1, 0, MessageId.generate(), "demo", 0,
                    BenchPayload.encode(BenchPayload.UNICAST, 12345, 0, Instant.now(), 24)));

            await().atMost(Duration.ofSeconds(5)).until(() -> node.acks().size() == 2);
            Frame.Ack ack = node.acks().stream().filter(a -> a.messageIds().contains(id)).findFirst().orElseThrow();
            assertThat(ack.cursors()).containsExactly(new Frame.Cursor("demo", 3));
            ReceiveStats stats = log.snapshot();
            assertThat(stats.deliveries()).isEqualTo(1);
            assertThat(stats.foreign()).as("another run's message").isEqualTo(1);
            assertThat(stats.broadcasts()).singleElement().satisfies(r -> {
                assertThat(r.seq()).isZero();
                assertThat(r.count()).isEqualTo(1);
                assertThat(r.lastMicros()).isGreaterThanOrEqualTo(r.sentMicros());
            });
        }
    }

    @Test
    void refusedLoginsAreCountedByErrorCode() throws InterruptedException {
        try (DeviceFleet fleet = new DeviceFleet(settings("wrong-secret-0123456789", 5, "", stub()), new ReceiveLog(1))) {
            ConnectOutcome outcome = fleet.connectAll();

            assertThat(outcome.connected()).isZero();
            assertThat(outcome.failures()).containsExactly(java.util.Map.entry("BAD_TOKEN", 5));
        }
    }

    @Test
    void anUnreachableNodeCountsAsRefusedConnects() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        List<InetSocketAddress> nowhere = List.of(new InetSocketAddress("127.0.0.1", closedPort));
        try (DeviceFleet fleet = new DeviceFleet(settings(SECRET, 3, "", nowhere), new ReceiveLog(1))) {
            ConnectOutcome outcome = fleet.connectAll();

            assertThat(outcome.failures()).containsExactly(java.util.Map.entry("CONNECT_REFUSED", 3));
        }
    }
}
