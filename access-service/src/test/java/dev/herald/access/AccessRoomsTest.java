package dev.herald.access;

import static dev.herald.access.TestDevice.DEMO;
import static dev.herald.access.TestDevice.DEMO_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomPost;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import dev.herald.core.room.SendOutcome;
import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import dev.herald.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rooms on one access node with real Redis, driven by raw protocol clients; the room sequencer is played by
 * reading the room intake and writing room deliveries to the node's stream.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(properties = {
        "server.port=0",
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.access.node-id=" + AccessRoomsTest.NODE,
        "herald.access.host=127.0.0.1",
        "herald.access.shutdown-timeout=PT2S",
        "herald.access.room.member-send-burst=3",
        "herald.access.room.member-send-rate=0.01",
        "herald.access.room.history-on-join=2",
        "herald.access.room.send-timeout=PT1S",
})
@DirtiesContext
class AccessRoomsTest {

    static final String NODE = "access-rooms";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger IDS = new AtomicInteger();

    private static StubSaver saver;
    private static int port;

    @Autowired
    private ReactiveStringRedisTemplate redis;
    @Autowired
    private JsonMapper json;

    private String room;

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

    @BeforeEach
    void newRoom() {
        room = "room-" + IDS.incrementAndGet();
    }

    private static TestDevice device() {
        return TestDevice.connected(port, "rd-" + IDS.incrementAndGet(), DEMO, DEMO_SECRET);
    }

    private static Frame.RoomAck join(TestDevice device, String roomId, int history) {
        int seq = device.nextSeq();
        device.send(new Frame.RoomJoin(seq, DEMO, roomId, history));
        Frame.RoomAck ack = device.await(Frame.RoomAck.class, a -> a.seq() == seq);
        assertThat(ack.kind()).isEqualTo(Frame.RoomAck.Kind.JOINED);
        return ack;
    }

    private RoomMessage message(long seq, String text) {
        return new RoomMessage(DEMO, room, seq, MessageId.generate().toString(), "", System.currentTimeMillis(),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private void deliver(RoomDelivery delivery) {
        redis.opsForStream().add(RedisKeys.deliveries(NODE), Map.of(RedisKeys.ROOM_FIELD, json.writeValueAsString(delivery)))
                .block(WAIT);
    }

    private void deliver(RoomMessage... messages) {
        deliver(new RoomDelivery(List.of(messages), List.of(), List.of()));
    }

    private static String text(Frame.RoomMessage m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void joinIsRecordedPerNodeAndHistoryComesBeforeLiveMessagesInOrder() {
        for (int seq = 1; seq <= 3; seq++) {
            RoomMessage old = message(seq, "old-" + seq).withSeq(0);
            redis.opsForStream().add(RedisKeys.roomHistory(DEMO, room), Map.of("s", String.valueOf(seq),
                    "e", String.valueOf(System.currentTimeMillis() + 60_000), "d", json.writeValueAsString(old))).block(WAIT);
        }
        redis.opsForValue().set(RedisKeys.roomSeq(DEMO, room), "3").block(WAIT);
        try (TestDevice a = device(); TestDevice b = device()) {
            Frame.RoomAck joined = join(a, room, 10);
            assertThat(joined.roomSeq()).isEqualTo(3);
            assertThat(joined.memberCount()).isEqualTo(1);
            // history-on-join is 2: the newest two, oldest first, flagged HISTORY.
            Frame.RoomMessage h1 = a.next(Frame.RoomMessage.class);
            Frame.RoomMessage h2 = a.next(Frame.RoomMessage.class);
            assertThat(List.of(h1.roomSeq(), h2.roomSeq())).containsExactly(2L, 3L);
            assertThat(h1.history()).isTrue();
            assertThat(text(h2)).isEqualTo("old-3");
            assertThat(join(b, room, 0).memberCount()).isEqualTo(2);

            assertThat(redis.opsForHash().get(RedisKeys.roomMembers(DEMO, room), a.deviceId).block(WAIT)).isEqualTo(NODE);
            assertThat(redis.opsForHash().get(RedisKeys.roomNodes(DEMO, room), NODE).block(WAIT)).isEqualTo("2");
            assertThat(redis.opsForSet().isMember(RedisKeys.nodeRooms(NODE), new RoomRef(DEMO, room).key()).block(WAIT))
                    .isTrue();
            assertThat(redis.opsForSet().isMember(RedisKeys.roomHosts("default"), NODE).block(WAIT)).isTrue();

            RoomMessage live4 = message(4, "live-4");
            deliver(live4, message(3, "already-in-history"));
            deliver(live4);
            deliver(message(5, "live-5"));
            for (TestDevice d : List.of(a, b)) {
                Frame.RoomMessage m4 = d.next(Frame.RoomMessage.class);
                Frame.RoomMessage m5 = d.next(Frame.RoomMessage.class);
                assertThat(List.of(text(m4), text(m5))).containsExactly("live-4", "live-5");
                assertThat(m4.history()).isFalse();
                d.assertNothingBeforePong();
            }
        }
    }

    @Test
    void aSendGoesToTheIntakeAndItsAnswerToTheSender() {
        try (TestDevice a = device()) {
            join(a, room, 0);
            int seq = a.nextSeq();
            a.send(new Frame.RoomSend(seq, DEMO, room, "hi".getBytes(StandardCharsets.UTF_8)));
            RoomPost post = await().atMost(WAIT).until(() -> redis.opsForStream()
                            .range(RedisKeys.roomIntake("default"), Range.unbounded()).collectList().block(WAIT).stream()
                            .map(e -> json.readValue(e.getValue().get(RedisKeys.STREAM_FIELD).toString(), RoomPost.class))
                            .filter(p -> p.roomId().equals(room)).findFirst().orElse(null),
                    p -> p != null);
            assertThat(post.senderId()).isEqualTo(a.deviceId);
            assertThat(post.nodeId()).isEqualTo(NODE);

            deliver(new RoomDelivery(List.of(), List.of(new RoomDelivery.SendResult(post.messageId(), DEMO, room,
                    a.deviceId, SendOutcome.SENT, 9)), List.of()));
            Frame.RoomAck sent = a.await(Frame.RoomAck.class, ack -> ack.seq() == seq);
            assertThat(sent.kind()).isEqualTo(Frame.RoomAck.Kind.SENT);
            assertThat(sent.roomSeq()).isEqualTo(9);
            assertThat(sent.messageId()).hasToString(post.messageId());

            // Without an answer in send-timeout: ROOM_REJECTED.
            int unanswered = a.nextSeq();
            a.send(new Frame.RoomSend(unanswered, DEMO, room, "anyone?".getBytes(StandardCharsets.UTF_8)));
            Frame.ErrorFrame timeout = a.await(Frame.ErrorFrame.class, e -> e.seq() == unanswered);
            assertThat(timeout.code()).isEqualTo(ErrorCode.ROOM_REJECTED);
        }
    }

    @Test
    void aMemberOverItsSendRateGetsRateLimitedAndAStrangerNotInRoom() {
        try (TestDevice a = device()) {
            int notJoined = a.nextSeq();
            a.send(new Frame.RoomSend(notJoined, DEMO, room, new byte[] {1}));
            assertThat(a.await(Frame.ErrorFrame.class, e -> e.seq() == notJoined).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
            join(a, room, 0);
            int limited = 0;
            for (int i = 0; i < 5; i++) {
                int seq = a.nextSeq();
                a.send(new Frame.RoomSend(seq, DEMO, room, new byte[] {1}));
                if (i >= 3) {
                    Frame.ErrorFrame error = a.await(Frame.ErrorFrame.class, e -> e.seq() == seq);
                    assertThat(error.code()).isEqualTo(ErrorCode.ROOM_RATE_LIMITED);
                    limited++;
                }
            }
            assertThat(limited).isEqualTo(2);
            int wrongApp = a.nextSeq();
            a.send(new Frame.RoomJoin(wrongApp, "news", room, 0));
            assertThat(a.await(Frame.ErrorFrame.class, e -> e.seq() == wrongApp).code()).isEqualTo(ErrorCode.ROOM_REJECTED);
            int badRoom = a.nextSeq();
            a.send(new Frame.RoomJoin(badRoom, DEMO, "no spaces", 0));
            assertThat(a.await(Frame.ErrorFrame.class, e -> e.seq() == badRoom).code()).isEqualTo(ErrorCode.ROOM_REJECTED);
        }
    }

    @Test
    void leaveDisconnectAndKickStopDeliveryAndLeaveRedis() {
        TestDevice leaver = device();
        TestDevice dropper = device();
        TestDevice kicked = device();
        try (TestDevice stays = device()) {
            for (TestDevice d : List.of(leaver, dropper, kicked, stays)) {
                join(d, room, 0);
            }
            int seq = leaver.nextSeq();
            leaver.send(new Frame.RoomLeave(seq, DEMO, room));
            assertThat(leaver.await(Frame.RoomAck.class, a -> a.seq() == seq).kind()).isEqualTo(Frame.RoomAck.Kind.LEFT);
            dropper.close();
            // What the chatroom-service does on a kick: the shared script, then the removal to the member's node.
            redis.execute(RedisScript.of(RoomScripts.KICK, List.class), List.of(RedisKeys.roomMembers(DEMO, room),
                    RedisKeys.roomNodes(DEMO, room), RedisKeys.roomNodeMembers(DEMO, room, NODE),
                    RedisKeys.roomBans(DEMO, room)), List.of(kicked.deviceId, NODE, "0")).blockLast(WAIT);
            deliver(new RoomDelivery(List.of(), List.of(), List.of(new RoomDelivery.Removal(DEMO, room, kicked.deviceId))));
            Frame.RoomAck removed = kicked.await(Frame.RoomAck.class, a -> a.kind() == Frame.RoomAck.Kind.REMOVED);
            assertThat(removed.code()).isEqualTo(ErrorCode.ROOM_KICKED);

            await().atMost(WAIT).until(() -> redis.opsForHash().size(RedisKeys.roomMembers(DEMO, room)).block(WAIT) == 1);
            deliver(message(1, "after"));
            assertThat(text(stays.next(Frame.RoomMessage.class))).isEqualTo("after");
            leaver.assertNothingBeforePong();
            kicked.assertNothingBeforePong();
        } finally {
            leaver.close();
            kicked.close();
        }
        await().atMost(WAIT).until(() -> redis.opsForHash().size(RedisKeys.roomMembers(DEMO, room)).block(WAIT) == 0);
        await().atMost(WAIT).until(() -> !redis.opsForSet().isMember(RedisKeys.nodeRooms(NODE),
                new RoomRef(DEMO, room).key()).block(WAIT));
    }

    @Test
    void overWebSocketTheRoomFramesWorkUnchanged() {
        String deviceId = "ws-" + IDS.incrementAndGet();
        try (WsDevice ws = new WsDevice(deviceId, port); TestDevice tcp = device()) {
            assertThat(ws.connect(List.of(new Frame.AppLogin(DEMO, TestDevice.token(DEMO, DEMO_SECRET, deviceId), 0)))
                    .code()).isEqualTo(ErrorCode.OK);
            ws.send(new Frame.RoomJoin(7, DEMO, room, 0));
            Frame.RoomAck joined = ws.next(Frame.RoomAck.class);
            assertThat(joined.seq()).isEqualTo(7);
            assertThat(joined.kind()).isEqualTo(Frame.RoomAck.Kind.JOINED);
            join(tcp, room, 0);

            deliver(message(1, "to both transports"));

            assertThat(text(ws.next(Frame.RoomMessage.class))).isEqualTo("to both transports");
            assertThat(text(tcp.next(Frame.RoomMessage.class))).isEqualTo("to both transports");
            ws.send(new Frame.RoomLeave(8, DEMO, room));
            assertThat(ws.next(Frame.RoomAck.class).kind()).isEqualTo(Frame.RoomAck.Kind.LEFT);
        }
    }
}
