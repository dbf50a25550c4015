package dev.herald.chatroom;

import dev.herald.ops.internal.InternalApiProperties;
import dev.herald.ops.internal.ServiceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomApi;
import dev.herald.core.room.RoomDelivery;
import dev.herald.core.room.RoomMessage;
import dev.herald.core.room.RoomPost;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import dev.herald.core.room.SendOutcome;
import dev.herald.protocol.MessageId;
import dev.herald.testsupport.RedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chatroom-service with a real Redis; access nodes are played by writing membership with the shared scripts
 * and reading their delivery streams, devices' messages by appending to the room intake.
 */
@ExtendWith(RedisExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.reactor.netty.shutdown-quiet-period=0s",
        "herald.chatroom.room-send-burst=5",
        "herald.chatroom.room-send-rate=0.01",
        "herald.chatroom.sweep-interval=PT0.2S",
        "herald.chatroom.purge-grace=PT2S",
        "herald.chatroom.history-size=3",
})
@AutoConfigureWebTestClient
@DirtiesContext
class ChatroomServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger ROOMS = new AtomicInteger();

    @Autowired
    private ReactiveStringRedisTemplate redis;
    @Autowired
    private JsonMapper json;
    private WebTestClient web;
    /** Without the service key. */
    private WebTestClient bare;

    @Autowired
    void webTestClient(WebTestClient client) {
        this.bare = client;
        this.web = client.mutate().defaultHeader(ServiceKey.HEADER, InternalApiProperties.DEFAULT_SERVICE_KEY).build();
    }

    private String room;

    @BeforeEach
    void newRoom() {
        room = "room-" + ROOMS.incrementAndGet();
        heartbeat("node-a");
        heartbeat("node-b");
    }

    private void heartbeat(String node) {
        redis.opsForZSet().add(RedisKeys.LIVE_NODES, node, System.currentTimeMillis()).block(WAIT);
    }

    private void join(String device, String node) {
        redis.execute(RedisScript.of(RoomScripts.JOIN, List.class), List.of(RedisKeys.roomMembers("demo", room),
                RedisKeys.roomNodes("demo", room), RedisKeys.roomNodeMembers("demo", room, node),
                RedisKeys.roomBans("demo", room), RedisKeys.roomSeq("demo", room)),
                List.of(device, node, String.valueOf(System.currentTimeMillis()))).blockLast(WAIT);
        redis.opsForSet().add(RedisKeys.nodeRooms(node), new RoomRef("demo", room).key()).block(WAIT);
        redis.opsForSet().add(RedisKeys.roomHosts("default"), node).block(WAIT);
    }

    private String post(String text) {
        return web.post().uri("/internal/v1/rooms/demo/{room}/messages", room).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new RoomApi.PostRequest(text.getBytes(StandardCharsets.UTF_8)))
                .exchange().expectStatus().isAccepted()
                .expectBody(RoomApi.Posted.class).returnResult().getResponseBody().messageId();
    }

    private String send(String device, String node, String text) {
        String id = MessageId.generate().toString();
        RoomPost post = new RoomPost(id, "demo", room, device, node, text.getBytes(StandardCharsets.UTF_8),
                System.currentTimeMillis());
        redis.opsForStream().add(RedisKeys.roomIntake("default"),
                Map.of(RedisKeys.STREAM_FIELD, json.writeValueAsString(post))).block(WAIT);
        return id;
    }

    /** Every room delivery written to the node's stream, in order. */
    private List<RoomDelivery> deliveries(String node) {
        List<RoomDelivery> out = new ArrayList<>();
        for (MapRecord<String, Object, Object> entry : redis.opsForStream()
                .range(RedisKeys.deliveries(node), Range.unbounded()).collectList().block(WAIT)) {
            Object doc = entry.getValue().get(RedisKeys.ROOM_FIELD);
            if (doc != null) {
                out.add(json.readValue(doc.toString(), RoomDelivery.class));
            }
        }
        return out;
    }

    private List<RoomMessage> messages(String node) {
        return deliveries(node).stream().flatMap(d -> d.messages().stream())
                .filter(m -> m.roomId().equals(room)).toList();
    }

    private RoomDelivery.SendResult result(String node, String messageId) {
        return deliveries(node).stream().flatMap(d -> d.results().stream())
                .filter(r -> r.messageId().equals(messageId)).findFirst().orElse(null);
    }

    @Test
    void postsAreOrderedOnceAndGoOnceToEachHostingNode() {
        join("d1", "node-a");
        join("d2", "node-a");
        join("d3", "node-b");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(post("m" + i));
        }

        await().atMost(WAIT).until(() -> messages("node-a").size() == 20 && messages("node-b").size() == 20);
        for (String node : List.of("node-a", "node-b")) {
            List<RoomMessage> got = messages(node);
            assertThat(got).extracting(RoomMessage::messageId).containsExactlyElementsOf(ids);
            assertThat(got).extracting(RoomMessage::seq).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
        }
        web.get().uri("/internal/v1/rooms/demo/{room}", room).exchange().expectStatus().isOk()
                .expectBody(RoomApi.RoomSummary.class).value(summary -> {
                    assertThat(summary.memberCount()).isEqualTo(3);
                    assertThat(summary.lastSeq()).isEqualTo(20);
                });
        // History keeps the newest history-size messages, oldest first.
        web.get().uri("/internal/v1/rooms/demo/{room}/messages?limit=10", room).exchange().expectStatus().isOk()
                .expectBody(RoomApi.History.class).value(history -> assertThat(history.messages())
                        .extracting(RoomMessage::seq).containsExactly(18L, 19L, 20L));
    }

    @Test
    void aMembersMessageIsAnsweredOnItsNodeAndAMutedOrFormerMemberIsRefused() {
        join("d1", "node-a");
        join("d2", "node-b");
        String sent = send("d1", "node-a", "hello");
        await().atMost(WAIT).until(() -> result("node-a", sent) != null);
        assertThat(result("node-a", sent).outcome()).isEqualTo(SendOutcome.SENT);
        assertThat(result("node-a", sent).seq()).isEqualTo(1);
        assertThat(messages("node-b")).extracting(RoomMessage::senderId).containsExactly("d1");

        web.put().uri("/internal/v1/rooms/demo/{room}/members/d1/mute", room).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new RoomApi.MuteRequest(60)).exchange().expectStatus().isOk();
        String muted = send("d1", "node-a", "still here?");
        String stranger = send("d9", "node-a", "let me in");
        await().atMost(WAIT).until(() -> result("node-a", muted) != null && result("node-a", stranger) != null);
        assertThat(result("node-a", muted).outcome()).isEqualTo(SendOutcome.MUTED);
        assertThat(result("node-a", stranger).outcome()).isEqualTo(SendOutcome.NOT_IN_ROOM);

        web.delete().uri("/internal/v1/rooms/demo/{room}/members/d1/mute", room).exchange().expectStatus().isNoContent();
        String again = send("d1", "node-a", "back");
        await().atMost(WAIT).until(() -> result("node-a", again) != null);
        assertThat(result("node-a", again).outcome()).isEqualTo(SendOutcome.SENT);
        assertThat(messages("node-b")).hasSize(2);
    }

    @Test
    void membersMessagesOverTheRoomsRateAreRefusedButAppPostsAreNot() {
        join("d1", "node-a");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(send("d1", "node-a", "spam " + i));
        }
        post("from the app");
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> result("node-a", id) != null));
        long limited = ids.stream().filter(id -> result("node-a", id).outcome() == SendOutcome.RATE_LIMITED).count();
        assertThat(limited).isEqualTo(3);
        await().atMost(WAIT).until(() -> messages("node-a").size() == 6);
    }

    @Test
    void kickRemovesTheMemberTellsItsNodeAndBansARejoin() {
        join("d1", "node-a");
        join("d2", "node-b");

        web.post().uri("/internal/v1/rooms/demo/{room}/members/d1/kick", room).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new RoomApi.KickRequest(60)).exchange().expectStatus().isNoContent();

        assertThat(deliveries("node-a")).flatExtracting(RoomDelivery::removals)
                .contains(new RoomDelivery.Removal("demo", room, "d1"));
        assertThat(redis.opsForHash().hasKey(RedisKeys.roomMembers("demo", room), "d1").block(WAIT)).isFalse();
        assertThat(redis.opsForHash().hasKey(RedisKeys.roomNodes("demo", room), "node-a").block(WAIT)).isFalse();
        List<?> rejoin = redis.execute(RedisScript.of(RoomScripts.JOIN, List.class), List.of(
                        RedisKeys.roomMembers("demo", room), RedisKeys.roomNodes("demo", room),
                        RedisKeys.roomNodeMembers("demo", room, "node-a"), RedisKeys.roomBans("demo", room),
                        RedisKeys.roomSeq("demo", room)), List.of("d1", "node-a", String.valueOf(System.currentTimeMillis())))
                .collectList().block(WAIT);
        assertThat(rejoin.toString()).contains("banned");
        web.post().uri("/internal/v1/rooms/demo/{room}/members/nobody/kick", room).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new RoomApi.KickRequest(0)).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aKickWithoutTheServiceKeyIsRefusedAndTheMemberStays() {
        join("d1", "node-a");

        bare.post().uri("/internal/v1/rooms/demo/{room}/members/d1/kick", room).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(new RoomApi.KickRequest(60)).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("SERVICE_KEY_REQUIRED");

        assertThat(redis.opsForHash().hasKey(RedisKeys.roomMembers("demo", room), "d1").block(WAIT)).isTrue();
        assertThat(redis.opsForHash().hasKey(RedisKeys.roomBans("demo", room), "d1").block(WAIT)).isFalse();
    }

    @Test
    void membersOfADeadNodeAreRemovedByItsLiveness() {
        join("d1", "node-a");
        join("d2", "node-dead");
        join("d3", "node-dead");

        await().atMost(WAIT).until(() -> redis.opsForHash().size(RedisKeys.roomMembers("demo", room)).block(WAIT) == 1);
        assertThat(redis.opsForHash().keys(RedisKeys.roomNodes("demo", room)).collectList().block(WAIT))
                .containsExactly("node-a");
        assertThat(redis.opsForSet().isMember(RedisKeys.roomHosts("default"), "node-dead").block(WAIT)).isFalse();
        assertThat(redis.opsForSet().isMember(RedisKeys.roomHosts("default"), "node-a").block(WAIT)).isTrue();
    }

    @Test
    void membersArePagedAndRoomsListed() {
        for (int i = 0; i < 25; i++) {
            join("m" + i, "node-a");
        }
        post("activity");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            String uri = "/internal/v1/rooms/demo/" + room + "/members?limit=10" + (cursor == null ? "" : "&cursor=" + cursor);
            RoomApi.MemberPage page = web.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(RoomApi.MemberPage.class).returnResult().getResponseBody();
            page.members().forEach(m -> seen.add(m.deviceId()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        await().atMost(WAIT).untilAsserted(() -> web.get().uri("/internal/v1/rooms/demo?limit=1000").exchange()
                .expectStatus().isOk().expectBody(RoomApi.RoomList.class).value(list -> assertThat(list.rooms())
                        .anySatisfy(r -> {
                            assertThat(r.roomId()).isEqualTo(room);
                            assertThat(r.memberCount()).isEqualTo(25);
                        })));
        web.get().uri("/internal/v1/rooms/demo/{room}/members?limit=0", room).exchange().expectStatus().isBadRequest();
    }
}
