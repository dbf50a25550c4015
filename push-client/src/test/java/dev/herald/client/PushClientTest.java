package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushClientTest {

    private static final Duration SHORT_WHILE = Duration.ofMillis(300);

    private final StubAccessServer server = new StubAccessServer();
    private final RecordingListener listener = new RecordingListener();
    private final List<PushClient> clients = new ArrayList<>();

    @BeforeAll
    static void fastPolling() {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
        Awaitility.setDefaultTimeout(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        clients.forEach(PushClient::close);
        server.close();
    }

    @Test
    void connectCompletesOnConnAckAndSendsDeviceAppsTokensAndCursors() throws Exception {
        PushClient client = track(builder()
                .app("news", () -> "token-news")
                .broadcastCursor("news", 17)
                .keepAlive(Duration.ofSeconds(45))
                .build());

        client.connect().get(5, TimeUnit.SECONDS);

        assertThat(client.isConnected()).isTrue();
        assertThat(client.deviceId()).isEqualTo("device-1");
        assertThat(listener.events).containsExactly("connected");
        assertThat(server.awaitConnection(0).connect()).isEqualTo(new Frame.Connect(1, 45, "device-1", List.of(
                new Frame.AppLogin("demo", "token-demo", 0),
                new Frame.AppLogin("news", "token-news", 17))));
        assertThat(client.connect()).succeedsWithin(Duration.ofSeconds(1));
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void refusalSurfacesItsCodeAndBadTokenIsNotRetried() {
        server.refuseWith(ErrorCode.BAD_TOKEN);
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_TOKEN));

        await().until(() -> listener.events.contains("disconnected:BAD_TOKEN"));
        await().during(SHORT_WHILE).until(() -> server.connections().size() == 1);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void connectAfterTokenExpiredAsksTheTokenSupplierAgain() {
        server.answerConnect(c -> c.apps().get(0).token().equals("fresh")
                ? new Frame.ConnAck(c.seq(), ErrorCode.OK, 30, "")
                : new Frame.ConnAck(c.seq(), ErrorCode.TOKEN_EXPIRED, 0, "token expired"));
        AtomicInteger calls = new AtomicInteger();
        PushClient client = track(PushClient.builder()
                .server("127.0.0.1", server.port())
                .deviceId("device-1")
                .app("demo", () -> calls.incrementAndGet() == 1 ? "stale" : "fresh")
                .listener(listener)
                .build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
        assertThat(client.connect()).succeedsWithin(Duration.ofSeconds(5));

        assertThat(server.awaitConnection(1).connect().apps().get(0).token()).isEqualTo("fresh");
        assertThat(listener.events).containsExactly("disconnected:TOKEN_EXPIRED", "connected");
    }

    @Test
    void malformedConnectRefusalIsNotRetried() {
        server.refuseWith(ErrorCode.MALFORMED_FRAME);
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class);

        await().during(SHORT_WHILE).until(() -> server.connections().size() == 1);
        assertThat(listener.events).containsExactly("disconnected:MALFORMED_FRAME");
    }

    @Test
    void shutdownAnswerToConnectFailsConnectButTheClientKeepsTrying() {
        AtomicInteger attempts = new AtomicInteger();
        server.answerConnect(c -> attempts.incrementAndGet() == 1
                ? new Frame.Disconnect(c.seq(), ErrorCode.SERVER_SHUTDOWN, "node is shutting down")
                : new Frame.ConnAck(c.seq(), ErrorCode.OK, 30, ""));
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN));

        await().until(client::isConnected);
        assertThat(listener.events).containsExactly("disconnected:SERVER_SHUTDOWN", "connected");
    }

    @Test
    void pushesReadTogetherAreDeliveredAndAcknowledgedInOneAckFrame() throws Exception {
        PushClient client = track(builder().broadcastCursor("demo", 5).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);
        MessageId a = MessageId.generate();
        MessageId b = MessageId.generate();
        MessageId c = MessageId.generate();

        connection.send(
                push(a, 0, 0, "first"),
                push(b, Frame.Push.FLAG_BROADCAST, 7, "to everyone"),
                push(c, Frame.Push.FLAG_REPLAY, 0, "kept while offline"));
        connection.roundTrip();

        assertThat(listener.pushes).containsExactly(
                new PushMessage(a, "demo", 0, false, false, bytes("first")),
                new PushMessage(b, "demo", 7, true, false, bytes("to everyone")),
                new PushMessage(c, "demo", 0, false, true, bytes("kept while offline")));
        assertThat(listener.pushes.get(1).text()).isEqualTo("to everyone");
        List<Frame.Ack> acks = connection.received(Frame.Ack.class);
        assertThat(acks).hasSize(1);
        assertThat(acks.get(0).messageIds()).containsExactly(a, b, c);
        assertThat(acks.get(0).cursors()).containsExactly(new Frame.Cursor("demo", 7));
        assertThat(client.broadcastCursor("demo")).isEqualTo(7);
    }

    @Test
    void olderBroadcastDoesNotMoveTheCursorBack() throws Exception {
        PushClient client = track(builder().broadcastCursor("demo", 10).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);
        MessageId old = MessageId.generate();

        connection.send(push(old, Frame.Push.FLAG_BROADCAST | Frame.Push.FLAG_REPLAY, 4, "old"));
        connection.roundTrip();

        assertThat(client.broadcastCursor("demo")).isEqualTo(10);
        assertThat(connection.received(Frame.Ack.class)).singleElement().satisfies(ack -> {
            assertThat(ack.messageIds()).containsExactly(old);
            assertThat(ack.cursors()).isEmpty();
        });
    }

    @Test
    void duplicatePushIsAcknowledgedAgainButDeliveredOnce() throws Exception {
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);
        MessageId id = MessageId.generate();

        connection.send(push(id, 0, 0, "once"));
        connection.roundTrip();
        connection.send(push(id, Frame.Push.FLAG_REPLAY, 0, "once"));
        connection.roundTrip();

        assertThat(listener.pushes).hasSize(1);
        assertThat(connection.received(Frame.Ack.class)).extracting(Frame.Ack::messageIds)
                .containsExactly(List.of(id), List.of(id));
        assertThat(client.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void withAutoAckOffOnlyTheApplicationAcknowledges() throws Exception {
        PushClient client = track(builder().autoAck(false).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);
        MessageId id = MessageId.generate();

        connection.send(push(id, Frame.Push.FLAG_BROADCAST, 3, "manual"));
        connection.roundTrip();
        assertThat(connection.received(Frame.Ack.class)).isEmpty();

        client.ack(listener.pushes.get(0));

        await().until(() -> !connection.received(Frame.Ack.class).isEmpty());
        Frame.Ack ack = connection.received(Frame.Ack.class).get(0);
        assertThat(ack.messageIds()).containsExactly(id);
        assertThat(ack.cursors()).containsExactly(new Frame.Cursor("demo", 3));
    }

    @Test
    void pingIsSentWhenTheConnectionIsIdle() throws Exception {
        PushClient client = track(builder().keepAlive(Duration.ofMillis(100)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);

        await().until(() -> connection.received(Frame.Ping.class).size() >= 2);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void pingFollowsTheServersHeartbeatWhenItIsShorterThanTheKeepAlive() throws Exception {
        server.acceptWithHeartbeat(1);
        PushClient client = track(builder().keepAlive(Duration.ofSeconds(60)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);

        await().atMost(Duration.ofSeconds(3)).until(() -> !connection.received(Frame.Ping.class).isEmpty());
    }

    @Test
    void silentServerIsDroppedWithHeartbeatTimeoutAndReconnected() throws Exception {
        server.answerPings(false);
        PushClient client = track(builder().keepAlive(Duration.ofMillis(100))
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());
        client.connect().get(5, TimeUnit.SECONDS);

        await().until(() -> listener.events.contains("disconnected:HEARTBEAT_TIMEOUT"));
        server.answerPings(true);
        server.awaitConnection(1);
        await().until(client::isConnected);
    }

    @Test
    void afterTheServerClosesTheClientReconnectsWithBackoffAndSendsTheNewCursor() throws Exception {
        PushClient client = track(builder().broadcastCursor("demo", 5)
                .reconnect(Duration.ofMillis(200), Duration.ofSeconds(1)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection first = server.awaitConnection(0);
        assertThat(first.connect().apps().get(0).broadcastCursor()).isEqualTo(5);

        first.send(push(MessageId.generate(), Frame.Push.FLAG_BROADCAST, 9, "news"));
        first.roundTrip();
        long closedAt = System.nanoTime();
        first.close();

        StubAccessServer.Connection second = server.awaitConnection(1);
        assertThat(second.connect().apps().get(0).broadcastCursor()).isEqualTo(9);
        assertThat(Duration.ofNanos(second.connectNanos - closedAt)).as("first backoff is at least half the initial delay")
                .isGreaterThanOrEqualTo(Duration.ofMillis(100));
        await().until(client::isConnected);
        assertThat(listener.events).containsExactly("connected", "disconnected:null", "connected");
    }

    @Test
    void disconnectFrameFromTheServerIsReportedAndTheClientReconnects() throws Exception {
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());
        client.connect().get(5, TimeUnit.SECONDS);

        server.awaitConnection(0).send(new Frame.Disconnect(0, ErrorCode.SERVER_SHUTDOWN, "node draining"));

        server.awaitConnection(1);
        await().until(client::isConnected);
        assertThat(listener.events).containsExactly("connected", "disconnected:SERVER_SHUTDOWN", "connected");
    }

    @Test
    void sessionReplacedIsNotReconnected() throws Exception {
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());
        client.connect().get(5, TimeUnit.SECONDS);

        server.awaitConnection(0).send(new Frame.Disconnect(0, ErrorCode.SESSION_REPLACED, "same device connected elsewhere"));

        await().until(() -> listener.events.contains("disconnected:SESSION_REPLACED"));
        await().during(SHORT_WHILE).until(() -> server.connections().size() == 1);
    }

    @Test
    void errorFrameReachesTheListenerAndTheConnectionStays() throws Exception {
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);

        connection.send(new Frame.ErrorFrame(3, ErrorCode.NOT_CONNECTED, "nope"));
        connection.roundTrip();

        assertThat(listener.events).containsExactly("connected", "error:NOT_CONNECTED:nope");
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void closeSendsDisconnectAndStopsReconnecting() throws Exception {
        PushClient client = track(builder().reconnect(Duration.ofMillis(20), Duration.ofMillis(40)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        StubAccessServer.Connection connection = server.awaitConnection(0);

        client.close();

        assertThat(client.isConnected()).isFalse();
        await().until(() -> !connection.channel.isActive());
        assertThat(connection.received(Frame.Disconnect.class)).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo(ErrorCode.CLIENT_DISCONNECT));
        await().during(SHORT_WHILE).until(() -> server.connections().size() == 1);
        assertThat(listener.events).containsExactly("connected", "disconnected:CLIENT_DISCONNECT");

        client.close();
        assertThat(client.connect()).failsWithin(Duration.ofSeconds(1))
                .withThrowableOfType(ExecutionException.class).withCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeDuringBackoffStopsTheReconnect() throws Exception {
        PushClient client = track(builder().reconnect(Duration.ofSeconds(30), Duration.ofSeconds(60)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        server.awaitConnection(0).close();
        await().until(() -> listener.events.contains("disconnected:null"));

        client.close();

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(1)).withThrowableOfType(ExecutionException.class);
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void closeDoesNotShutDownAGroupItWasGiven() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            PushClient client = builder().eventLoopGroup(group).build();
            client.connect().get(5, TimeUnit.SECONDS);
            client.close();
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void noConnAckWithinTheConnectTimeoutFailsWithHandshakeTimeout() {
        server.answerConnect(c -> null);
        PushClient client = track(builder().connectTimeout(Duration.ofMillis(200)).reconnect(false).build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT));
        await().until(() -> !server.awaitConnection(0).channel.isActive());
    }

    @Test
    void unreachableServerFailsWithoutACode() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PushClient client = track(PushClient.builder().server("127.0.0.1", closedPort).deviceId("d").app("demo", "t")
                .reconnect(false).build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> {
                    assertThat(e.code()).isNull();
                    assertThat(e).hasRootCauseInstanceOf(ConnectException.class);
                });
    }

    @Test
    void lostConnectionMovesToTheNextServerOfTheListAndTheDedupWindowSurvivesTheMove() throws Exception {
        try (StubAccessServer other = new StubAccessServer()) {
            PushClient client = track(builder()
                    .servers(List.of(address(server), address(other)))
                    .reconnect(Duration.ofMillis(20), Duration.ofMillis(40))
                    .build());
            client.connect().get(5, TimeUnit.SECONDS);
            StubAccessServer.Connection first = server.awaitConnection(0);
            MessageId id = MessageId.generate();
            first.send(push(id, 0, 0, "before the move"));
            first.roundTrip();

            first.close();

            StubAccessServer.Connection moved = other.awaitConnection(0);
            await().until(client::isConnected);
            assertThat(client.server()).isEqualTo(address(other));
            moved.send(push(id, Frame.Push.FLAG_REPLAY, 0, "before the move"));
            moved.roundTrip();
            assertThat(listener.pushes).hasSize(1);
            assertThat(client.duplicatesDropped()).isEqualTo(1);

            moved.close();
            server.awaitConnection(1);
            await().until(client::isConnected);
            assertThat(client.server()).isEqualTo(address(server));
        }
    }

    @Test
    void unreachableFirstServerIsSkippedByTheRetry() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PushClient client = track(builder()
                .servers(List.of(new InetSocketAddress("127.0.0.1", closedPort), address(server)))
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(40))
                .build());

        assertThat(client.connect()).failsWithin(Duration.ofSeconds(5));

        server.awaitConnection(0);
        await().until(client::isConnected);
        assertThat(listener.events).containsExactly("connected");
    }

    @Test
    void serverListMustNotBeEmptyNorHoldABadPort() {
        assertThatThrownBy(() -> PushClient.builder().servers(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushClient.builder().server("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushClient.builder().servers(List.of(InetSocketAddress.createUnresolved("h", 70000))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static InetSocketAddress address(StubAccessServer stub) {
        return new InetSocketAddress("127.0.0.1", stub.port());
    }

    @Test
    void concurrentConnectCallsShareOneAttempt() {
        PushClient client = track(builder().build());

        CompletableFuture<Void> first = client.connect();
        CompletableFuture<Void> second = client.connect();

        assertThat(CompletableFuture.allOf(first, second)).succeedsWithin(Duration.ofSeconds(5));
        assertThat(server.connections()).hasSize(1);
    }

    @Test
    void clientsWithoutAGroupShareOneGroupOfDaemonThreads() throws Exception {
        assertThat(SharedEventLoops.group()).isSameAs(SharedEventLoops.group());
        assertThat(SharedEventLoops.group().submit(() -> Thread.currentThread().isDaemon()).get(5, TimeUnit.SECONDS)).isTrue();
    }

    // --- rooms -----------------------------------------------------------------------------------

    private static Frame.RoomMessage roomMessage(String room, long seq, String text) {
        return new Frame.RoomMessage(0, 0, MessageId.generate(), "demo", room, seq, "other", 1, bytes(text));
    }

    @Test
    void joinSendAndRoomMessagesInOrderOncePerSeq() throws Exception {
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);

        RoomJoined joined = client.join("demo", "lobby", 10).get(5, TimeUnit.SECONDS);
        assertThat(joined.roomSeq()).isEqualTo(5);
        assertThat(joined.memberCount()).isEqualTo(2);
        StubAccessServer.Connection connection = server.awaitConnection(0);
        assertThat(connection.received(Frame.RoomJoin.class)).singleElement()
                .satisfies(j -> assertThat(j.historyLimit()).isEqualTo(10));

        connection.send(roomMessage("lobby", 4, "h4"), roomMessage("lobby", 6, "m6"), roomMessage("lobby", 6, "m6 again"),
                roomMessage("lobby", 5, "late"), roomMessage("lobby", 7, "m7"));
        await().until(() -> listener.roomMessages.size() == 3);
        assertThat(listener.roomMessages).extracting(RoomMessage::text).containsExactly("h4", "m6", "m7");

        assertThat(client.sendToRoom("demo", "lobby", bytes("hi")).get(5, TimeUnit.SECONDS))
                .isEqualTo(new RoomSent(StubAccessServer.ROOM_MESSAGE_ID, 6));
        assertThat(client.sendToRoom("demo", "lobby", bytes("too long"))).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(PushClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_MUTED));
        assertThat(client.join("demo", "banned-room")).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(PushClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_KICKED));

        connection.send(new Frame.RoomAck(0, Frame.RoomAck.Kind.REMOVED, ErrorCode.ROOM_KICKED, "demo", "lobby", 0, 0, null));
        await().until(() -> listener.events.contains("removed:demo/lobby:ROOM_KICKED"));
    }

    @Test
    void roomsAreJoinedAgainAfterAReconnectAndLeftRoomsAreNot() throws Exception {
        PushClient client = track(builder().reconnect(Duration.ofMillis(50), Duration.ofMillis(100)).build());
        client.connect().get(5, TimeUnit.SECONDS);
        client.join("demo", "lobby").get(5, TimeUnit.SECONDS);
        client.join("demo", "kitchen").get(5, TimeUnit.SECONDS);
        client.leave("demo", "kitchen").get(5, TimeUnit.SECONDS);

        server.awaitConnection(0).close();

        StubAccessServer.Connection second = server.awaitConnection(1);
        await().until(() -> second.received(Frame.RoomJoin.class).size() == 1);
        assertThat(second.received(Frame.RoomJoin.class).get(0).roomId()).isEqualTo("lobby");
    }

    @Test
    void roomRequestsWhileNotConnectedFailAtOnce() {
        PushClient client = track(builder().build());
        assertThat(client.join("demo", "lobby")).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(PushClientException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.ROOM_REJECTED));
    }

    // --- uplink ----------------------------------------------------------------------------------

    @Test
    void uplinkCompletesWithTheMessageIdOfTheServersUplinkAck() throws Exception {
        MessageId assigned = MessageId.generate();
        server.answerUplinks(u -> new Frame.UplinkAck(u.seq(), assigned));
        PushClient client = track(builder().app("news", "token-news").build());
        client.connect().get(5, TimeUnit.SECONDS);

        assertThat(client.uplink("news", bytes("temperature=21"))).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(assigned);

        assertThat(server.awaitConnection(0).received(Frame.Uplink.class))
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.appId()).isEqualTo("news");
                    assertThat(u.payload()).isEqualTo(bytes("temperature=21"));
                    assertThat(u.seq()).isGreaterThan(server.awaitConnection(0).connect().seq());
                });
    }

    @Test
    void concurrentUplinksAreMatchedToTheirAcksBySeq() throws Exception {
        server.answerUplinks(u -> null);
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);

        CompletableFuture<MessageId> first = client.uplink("demo", bytes("one"));
        CompletableFuture<MessageId> second = client.uplink("demo", bytes("two"));
        StubAccessServer.Connection connection = server.awaitConnection(0);
        await().until(() -> connection.received(Frame.Uplink.class).size() == 2);
        List<Frame.Uplink> sent = connection.received(Frame.Uplink.class);
        MessageId idOne = MessageId.generate();
        MessageId idTwo = MessageId.generate();
        Frame.Uplink one = sent.stream().filter(u -> new String(u.payload(), StandardCharsets.UTF_8).equals("one")).findFirst().orElseThrow();
        Frame.Uplink two = sent.stream().filter(u -> new String(u.payload(), StandardCharsets.UTF_8).equals("two")).findFirst().orElseThrow();

        connection.send(new Frame.UplinkAck(two.seq(), idTwo), new Frame.UplinkAck(one.seq(), idOne));

        assertThat(first).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(idOne);
        assertThat(second).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(idTwo);
    }

    @Test
    void refusedUplinkFailsWithTheErrorsCodeAndIsNotReportedAsAConnectionError() throws Exception {
        server.answerUplinks(u -> new Frame.ErrorFrame(u.seq(), ErrorCode.UPLINK_REJECTED, "app demo has no callback URL"));
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);

        assertThat(client.uplink("demo", bytes("hello"))).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPLINK_REJECTED);
                    assertThat(e.getMessage()).contains("no callback URL");
                });
        assertThat(client.isConnected()).isTrue();
        assertThat(listener.events).containsExactly("connected");
    }

    @Test
    void uplinkForAnAppNotLoggedInOrWithAnEmptyPayloadIsRefusedWithoutSendingAnything() throws Exception {
        PushClient client = track(builder().build());
        client.connect().get(5, TimeUnit.SECONDS);

        assertUplinkRejected(client.uplink("news", bytes("hello")), "not one of this client's apps");
        assertUplinkRejected(client.uplink("demo", new byte[0]), "empty");
        server.awaitConnection(0).roundTrip();
        assertThat(server.awaitConnection(0).received(Frame.Uplink.class)).isEmpty();
    }

    @Test
    void uplinkWhileNotConnectedFailsAtOnce() {
        PushClient client = track(builder().build());

        assertUplinkRejected(client.uplink("demo", bytes("hello")), "not connected");
    }

    @Test
    void uplinkPendingWhenTheConnectionDropsFailsAsRejectedWithTheReasonAsCause() throws Exception {
        server.answerUplinks(u -> null);
        PushClient client = track(builder().reconnect(false).build());
        client.connect().get(5, TimeUnit.SECONDS);
        CompletableFuture<MessageId> pending = client.uplink("demo", bytes("hello"));
        StubAccessServer.Connection connection = server.awaitConnection(0);
        await().until(() -> connection.received(Frame.Uplink.class).size() == 1);

        connection.send(new Frame.Disconnect(0, ErrorCode.SERVER_SHUTDOWN, "bye"));

        assertThat(pending).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPLINK_REJECTED);
                    assertThat(e.getMessage()).contains("may or may not be stored");
                    assertThat(e.getCause()).isInstanceOfSatisfying(PushClientException.class,
                            reason -> assertThat(reason.code()).isEqualTo(ErrorCode.SERVER_SHUTDOWN));
                });
    }

    private static void assertUplinkRejected(CompletableFuture<MessageId> uplink, String messagePart) {
        assertThat(uplink).failsWithin(Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(PushClientException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.UPLINK_REJECTED);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    @Test
    void builderRefusesIncompleteConfiguration() {
        assertThatThrownBy(() -> PushClient.builder().deviceId("d").app("demo", "t").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PushClient.builder().server("h", 1).app("demo", "t").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PushClient.builder().server("h", 1).deviceId("d").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PushClient.builder().server("h", 1).deviceId("d").app("demo", "t").broadcastCursor("other", 1).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PushClient.builder().app("demo", "t").app("demo", "u")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushClient.builder().reconnect(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private PushClient.Builder builder() {
        return PushClient.builder()
                .server("127.0.0.1", server.port())
                .deviceId("device-1")
                .app("demo", "token-demo")
                .listener(listener);
    }

    private PushClient track(PushClient client) {
        clients.add(client);
        return client;
    }

    private static Frame.Push push(MessageId id, int flags, long broadcastSeq, String text) {
        return new Frame.Push(0, flags, id, "demo", broadcastSeq, bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
