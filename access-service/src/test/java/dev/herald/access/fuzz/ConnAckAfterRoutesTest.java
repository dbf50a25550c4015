package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import dev.herald.access.delivery.DeliveryWriter;
import dev.herald.access.delivery.RecentBroadcasts;
import dev.herald.access.delivery.StatusCounters;
import dev.herald.access.session.RouteRecorder;
import dev.herald.core.message.DeliveryCommand;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import dev.herald.protocol.fuzz.CrashLog;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.ValidFrames;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CONNACK OK means the device's route is written (docs/protocol.md, "Handshake"): the production pipeline
 * on an embedded channel with routes whose writing the test completes or fails. Until then the device
 * receives nothing, not even a push that reaches its connection meanwhile, and packets it sent right behind
 * its CONNECT are answered after the CONNACK.
 */
class ConnAckAfterRoutesTest {

    /** Route writes of the node, completed or failed by the test. */
    private final List<CompletableFuture<Long>> routes = new CopyOnWriteArrayList<>();
    private final FuzzedNode node = new FuzzedNode(new RouteRecorder() {
        @Override
        public CompletableFuture<Long> online(String appId, String deviceId) {
            CompletableFuture<Long> written = new CompletableFuture<>();
            routes.add(written);
            return written;
        }

        @Override
        public void offline(String appId, String deviceId) {
        }
    });
    private final DeliveryWriter deliveries = new DeliveryWriter(node.registry,
            mock(StatusCounters.class, withSettings().stubOnly()), new RecentBroadcasts(), node.pushMeters);

    @AfterEach
    void closeNode() {
        node.close();
    }

    @Test
    void nativeConnAckWaitsForTheRouteThenPrecedesTheAnswersAndThePushesThatCameMeanwhile() {
        run(connection -> {
            connection.read(Mutations.concat(
                    ValidFrames.encode(new Frame.Connect(1, 30, Logins.DEVICE, new Logins(node).valid())),
                    ValidFrames.encode(new Frame.Ping(2))));
            MessageId pushed = push();
            connection.runPendingTasks();

            assertThat(connection.fromServer()).as("written before the route").isEmpty();
            assertThat(connection.open()).isTrue();

            routesWritten();
            connection.runPendingTasks();

            List<Frame> frames = NativeReplies.frames(connection.fromServer());
            assertThat(frames).hasSize(3);
            assertThat(frames.get(0)).isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> {
                assertThat(connAck.seq()).isEqualTo(1);
                assertThat(connAck.code()).isEqualTo(ErrorCode.OK);
            });
            assertThat(frames.get(1)).isEqualTo(new Frame.Pong(2));
            assertThat(frames.get(2)).isInstanceOfSatisfying(Frame.Push.class,
                    push -> assertThat(push.messageId()).isEqualTo(pushed));
        });
    }

    @Test
    void nativeConnectionWhoseRouteCannotBeWrittenIsRefusedWithInternalError() {
        run(connection -> {
            connection.read(ValidFrames.encode(new Frame.Connect(4, 30, Logins.DEVICE, new Logins(node).valid())));
            routes.forEach(route -> route.completeExceptionally(new IllegalStateException("Redis is gone")));
            connection.runPendingTasks();

            assertThat(NativeReplies.frames(connection.fromServer())).singleElement()
                    .isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> {
                        assertThat(connAck.seq()).isEqualTo(4);
                        assertThat(connAck.code()).isEqualTo(ErrorCode.INTERNAL_ERROR);
                    });
            assertThat(connection.open()).isFalse();
        });
    }

    @Test
    void mqttConnAckWaitsForTheRouteAndASubscribeSentBehindTheConnectCountsForThePushesThatCameMeanwhile() {
        run(connection -> {
            SplittableRandom random = new SplittableRandom(3);
            connection.read(Mutations.concat(new MqttStreams(node).connect(random, 0, false),
                    MqttStreams.subscribe(5, List.of("herald/" + FuzzedNode.APP + "/devices/" + Logins.DEVICE), List.of(1))));
            push();
            connection.runPendingTasks();

            assertThat(connection.fromServer()).as("written before the route").isEmpty();

            routesWritten();
            connection.runPendingTasks();

            List<MqttReplies.Packet> packets = MqttReplies.parse(connection.fromServer());
            assertThat(packets).extracting(MqttReplies.Packet::type)
                    .containsExactly(MqttReplies.CONNACK, MqttReplies.SUBACK, MqttReplies.PUBLISH);
            assertThat(packets.get(0).codes()).containsExactly(0);
            assertThat(packets.get(1).packetId()).isEqualTo(5);
            assertThat(packets.get(2).topic()).isEqualTo("herald/" + FuzzedNode.APP + "/devices/" + Logins.DEVICE);
        });
    }

    @Test
    void mqttConnectionWhoseRouteCannotBeWrittenGetsServerUnavailable() {
        run(connection -> {
            connection.read(new MqttStreams(node).connect(new SplittableRandom(4), 0, false));
            routes.forEach(route -> route.completeExceptionally(new IllegalStateException("Redis is gone")));
            connection.runPendingTasks();

            assertThat(MqttReplies.parse(connection.fromServer())).singleElement()
                    .satisfies(connAck -> assertThat(connAck.codes()).containsExactly(3));
            assertThat(connection.open()).isFalse();
        });
    }

    @Test
    void nativeConnectionWhoseTokenWasRevokedIsRefusedWithTokenExpiredOnceTheRouteRoundReadsTheRevocation() {
        run(connection -> {
            connection.read(ValidFrames.encode(new Frame.Connect(6, 30, Logins.DEVICE, new Logins(node).valid())));
            // The route round read a revocation made after the token was minted (tokens are minted "now").
            routes.forEach(route -> route.complete(System.currentTimeMillis() + 60_000));
            connection.runPendingTasks();

            assertThat(NativeReplies.frames(connection.fromServer())).singleElement()
                    .isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> {
                        assertThat(connAck.seq()).isEqualTo(6);
                        assertThat(connAck.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED);
                        assertThat(connAck.message()).contains("revoked");
                    });
            assertThat(connection.open()).isFalse();
        });
    }

    @Test
    void nativeConnectionWithATokenMintedAfterTheRevocationIsAccepted() {
        run(connection -> {
            connection.read(ValidFrames.encode(new Frame.Connect(7, 30, Logins.DEVICE, new Logins(node).valid())));
            routes.forEach(route -> route.complete(1L));
            connection.runPendingTasks();

            assertThat(NativeReplies.frames(connection.fromServer())).singleElement()
                    .isInstanceOfSatisfying(Frame.ConnAck.class, connAck -> assertThat(connAck.code()).isEqualTo(ErrorCode.OK));
        });
    }

    @Test
    void mqttConnectionWhoseTokenWasRevokedGetsNotAuthorized() {
        run(connection -> {
            connection.read(new MqttStreams(node).connect(new SplittableRandom(6), 0, false));
            routes.forEach(route -> route.complete(System.currentTimeMillis() + 60_000));
            connection.runPendingTasks();

            assertThat(MqttReplies.parse(connection.fromServer())).singleElement()
                    .satisfies(connAck -> assertThat(connAck.codes()).containsExactly(5));
            assertThat(connection.open()).isFalse();
        });
    }

    @Test
    void aDeviceGoneBeforeItsRouteIsWrittenLeavesNothingBehind() {
        run(connection -> {
            connection.read(Mutations.concat(new MqttStreams(node).connect(new SplittableRandom(5), 0, false),
                    MqttStreams.publish("herald/" + FuzzedNode.APP + "/up", 1, false, 9, bytes("kept until the CONNACK"))));
            push();
            connection.runPendingTasks();
            connection.peerCloses();
            routesWritten();
            connection.runPendingTasks();

            assertThat(connection.fromServer()).isEmpty();
            // finish() checks that the deferred PUBLISH and the held push were released and the session is gone.
        });
    }

    /** A live unicast to the device, as the dispatcher's delivery command brings it. */
    private MessageId push() {
        MessageId id = MessageId.generate();
        deliveries.deliver(List.of(new DeliveryCommand(id.toString(), FuzzedNode.APP, false, 0, List.of(Logins.DEVICE),
                bytes("sent while the route was being written"), 0)));
        return id;
    }

    private void routesWritten() {
        assertThat(routes).as("route writes asked for").isNotEmpty();
        routes.forEach(route -> route.complete(RouteRecorder.NOT_REVOKED));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code test} on a new connection; nothing may be logged as a warning or error meanwhile. */
    private void run(Consumer<FuzzedConnection> test) {
        try (CrashLog crashes = CrashLog.open()) {
            FuzzedConnection connection = node.connect();
            test.accept(connection);
            connection.finish();
            assertThat(crashes.drain()).as("logged as warnings or errors").isEmpty();
        }
    }
}
