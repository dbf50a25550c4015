package dev.herald.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.client.PushClient;
import dev.herald.client.PushClientException;
import dev.herald.client.PushListener;
import dev.herald.client.RoomMessage;
import dev.herald.client.RoomSent;
import dev.herald.core.app.DeviceToken;
import dev.herald.protocol.ErrorCode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Chat rooms end to end: push-client devices on the suite's two access nodes, the real chatroom-service
 * (sequencer, history, moderation) and push-api's room REST API.
 */
@ExtendWith(HeraldSuite.class)
class ChatroomTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final int BURST_MEMBERS = Integer.getInteger("herald.e2e.room-members", 5000);
    private static final int BURST_MESSAGES = Integer.getInteger("herald.e2e.room-burst", 100);

    private static HeraldSuite suite;
    private static PushApi api;
    private final List<Device> devices = new ArrayList<>();

    @BeforeAll
    static void connectSuite() {
        suite = HeraldSuite.get();
        api = new PushApi(suite.api.baseUrl(), HeraldSuite.APP, HeraldSuite.APP_KEY, HeraldSuite.APP_SECRET);
    }

    @AfterEach
    void closeDevices() {
        devices.forEach(Device::close);
    }

    private Device device(int port) {
        String id = "room-dev-" + UUID.randomUUID();
        Device d = new Device(id, token(id));
        devices.add(d);
        return d.connect(port);
    }

    private static String token(String deviceId) {
        return DeviceToken.mint(HeraldSuite.APP_SECRET, HeraldSuite.APP, deviceId, Instant.now().plusSeconds(3600));
    }

    private static String newRoom() {
        return "room-" + UUID.randomUUID();
    }

    private static String post(String room, String text) {
        PushApi.Reply reply = api.post("/v1/apps/demo/rooms/" + room + "/messages", "{\"text\":\"" + text + "\"}");
        assertThat(reply.status()).as("post: %s", reply.body()).isEqualTo(202);
        return reply.text("id");
    }

    private static long memberCount(String room) {
        PushApi.Reply reply = api.get("/v1/apps/demo/rooms/" + room);
        assertThat(reply.status()).isEqualTo(200);
        return reply.number("memberCount");
    }

    private static ErrorCode failure(CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
            return ErrorCode.OK;
        } catch (ExecutionException e) {
            return e.getCause() instanceof PushClientException p ? p.code() : null;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void memberAndAppMessagesReachEveryMemberOnBothNodesOnceInOneOrder() throws Exception {
        String room = newRoom();
        List<Device> members = List.of(device(suite.access1Port), device(suite.access1Port),
                device(suite.access2Port), device(suite.access2Port));
        members.forEach(d -> d.join(room));
        assertThat(memberCount(room)).isEqualTo(4);

        Device sender = members.get(2);
        List<CompletableFuture<RoomSent>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sends.add(sender.sendToRoom(room, "member-" + i));
            post(room, "app-" + i);
        }
        for (CompletableFuture<RoomSent> send : sends) {
            assertThat(send.get(10, TimeUnit.SECONDS).roomSeq()).isPositive();
        }

        await().atMost(DELIVERY).until(() -> members.stream().allMatch(d -> d.roomMessages(room).size() >= 10));
        List<String> order = members.get(0).roomMessages(room).stream().map(m -> m.id().toString()).toList();
        assertThat(order).hasSize(10).doesNotHaveDuplicates();
        for (Device d : members) {
            List<RoomMessage> got = d.roomMessages(room);
            assertThat(got).extracting(m -> m.id().toString()).as("order at %s", d.deviceId).containsExactlyElementsOf(order);
            assertThat(got).extracting(RoomMessage::roomSeq).isSorted().doesNotHaveDuplicates();
            assertThat(got).filteredOn(m -> m.senderId().equals(sender.deviceId)).hasSize(5);
            assertThat(got).filteredOn(m -> m.senderId().isEmpty()).hasSize(5);
        }
        // Texts of one sender keep their sending order within the room's order.
        assertThat(members.get(1).roomTexts(room).stream().filter(t -> t.startsWith("member-")).toList())
                .containsExactly("member-0", "member-1", "member-2", "member-3", "member-4");
    }

    @Test
    void aJoiningMemberGetsTheHistoryFirstThenLiveMessages() {
        String room = newRoom();
        Device first = device(suite.access1Port);
        first.join(room);
        for (int i = 1; i <= 3; i++) {
            post(room, "before-" + i);
        }
        await().atMost(DELIVERY).until(() -> first.roomMessages(room).size() == 3);

        Device late = device(suite.access2Port);
        assertThat(late.join(room).roomSeq()).isEqualTo(3);
        post(room, "after");

        await().atMost(DELIVERY).until(() -> late.roomMessages(room).size() == 4);
        assertThat(late.roomTexts(room)).containsExactly("before-1", "before-2", "before-3", "after");
        assertThat(late.roomMessages(room)).extracting(RoomMessage::history).containsExactly(true, true, true, false);
        PushApi.Reply history = api.get("/v1/apps/demo/rooms/" + room + "/messages?limit=2");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().get("messages")).hasSize(2);
        assertThat(history.body().get("messages").get(1).get("seq").asLong()).isEqualTo(4);
    }

    @Test
    void leavingAndDisconnectingStopDelivery() {
        String room = newRoom();
        Device stays = device(suite.access1Port);
        Device leaves = device(suite.access1Port);
        Device drops = device(suite.access2Port);
        for (Device d : List.of(stays, leaves, drops)) {
            d.join(room);
        }
        post(room, "one");
        await().atMost(DELIVERY).until(() -> List.of(stays, leaves, drops).stream().allMatch(d -> d.roomMessages(room).size() == 1));

        leaves.leave(room);
        drops.disconnect();
        await().atMost(DELIVERY).until(() -> memberCount(room) == 1);
        post(room, "two");
        post(room, "three");

        await().atMost(DELIVERY).until(() -> stays.roomMessages(room).size() == 3);
        // leaves shares stays' node: the node wrote "two" and "three" to its members together.
        assertThat(leaves.roomTexts(room)).containsExactly("one");
        assertThat(drops.roomTexts(room)).containsExactly("one");
    }

    @Test
    void kickRemovesAndBansAMemberAndMuteSilencesOne() {
        String room = newRoom();
        Device kicked = device(suite.access2Port);
        Device muted = device(suite.access1Port);
        Device witness = device(suite.access2Port);
        for (Device d : List.of(kicked, muted, witness)) {
            d.join(room);
        }

        PushApi.Reply kick = api.post("/v1/apps/demo/rooms/" + room + "/members/" + kicked.deviceId + "/kick",
                "{\"banSeconds\":600}");
        assertThat(kick.status()).isEqualTo(204);
        await().atMost(DELIVERY).until(() -> kicked.removals().contains(room + ":" + ErrorCode.ROOM_KICKED));
        assertThat(failure(kicked.tryJoin(room))).isEqualTo(ErrorCode.ROOM_KICKED);
        assertThat(api.post("/v1/apps/demo/rooms/" + room + "/members/" + kicked.deviceId + "/kick", "{}").status())
                .isEqualTo(404);

        PushApi.Reply mute = api.put("/v1/apps/demo/rooms/" + room + "/members/" + muted.deviceId + "/mute",
                "{\"seconds\":600}");
        assertThat(mute.status()).isEqualTo(200);
        assertThat(failure(muted.sendToRoom(room, "can you hear me?"))).isEqualTo(ErrorCode.ROOM_MUTED);
        assertThat(api.delete("/v1/apps/demo/rooms/" + room + "/members/" + muted.deviceId + "/mute").status())
                .isEqualTo(204);
        assertThat(failure(muted.sendToRoom(room, "back again"))).isEqualTo(ErrorCode.OK);

        await().atMost(DELIVERY).until(() -> witness.roomTexts(room).contains("back again"));
        assertThat(witness.roomTexts(room)).containsExactly("back again");
        assertThat(kicked.roomMessages(room)).isEmpty();
        assertThat(memberCount(room)).isEqualTo(2);
    }

    @Test
    void aMemberOverItsSendRateGetsTheRateLimitedError() {
        String room = newRoom();
        Device chatty = device(suite.access1Port);
        chatty.join(room);
        List<CompletableFuture<RoomSent>> sends = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            sends.add(chatty.sendToRoom(room, "spam-" + i));
        }
        List<ErrorCode> outcomes = sends.stream().map(ChatroomTest::failure).toList();
        // The default member allowance is a burst of 10 at 5/s: the rest of an instant burst is refused.
        assertThat(outcomes).contains(ErrorCode.ROOM_RATE_LIMITED);
        long sent = outcomes.stream().filter(c -> c == ErrorCode.OK).count();
        assertThat(sent).isBetween(10L, 15L);
        await().atMost(DELIVERY).until(() -> chatty.roomMessages(room).size() == sent);
    }

    /**
     * A room of 5 000 members, half on each access node, receives a burst of 100 posts
     * completely and in one order; between services each message travels once per node (the chatroom-service's
     * fan-out counter), and each node writes it once per local member (the access nodes' counters). The system
     * properties {@code herald.e2e.room-members} and {@code herald.e2e.room-burst} change the size.
     */
    @Test
    void aRoomOf5000MembersOnTwoNodesReceivesABurstOf100Completely() throws Exception {
        String room = newRoom();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("burst-member", true),
                NioIoHandler.newFactory());
        List<BurstMember> members = new ArrayList<>(BURST_MEMBERS);
        AtomicLong received = new AtomicLong();
        long expected = (long) BURST_MEMBERS * BURST_MESSAGES;
        AtomicLong lastArrival = new AtomicLong();
        // 5 000 clients decoding half a million frames: paranoid leak tracking (a stack trace per buffer touch) in this
        // JVM would measure itself. The services keep their own setting; the smaller tests here keep paranoid.
        ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try {
            long started = System.nanoTime();
            Semaphore inFlight = new Semaphore(256);
            List<CompletableFuture<?>> joins = new ArrayList<>(BURST_MEMBERS);
            for (int i = 0; i < BURST_MEMBERS; i++) {
                String id = "burst-" + i + "-" + UUID.randomUUID();
                BurstMember member = new BurstMember(received, expected, lastArrival);
                member.client = PushClient.builder()
                        .server("127.0.0.1", i % 2 == 0 ? suite.access1Port : suite.access2Port)
                        .deviceId(id).app(HeraldSuite.APP, token(id)).listener(member)
                        .eventLoopGroup(group).dedupWindow(0).keepAlive(Duration.ofMinutes(5)).reconnect(false)
                        .build();
                members.add(member);
                inFlight.acquire();
                joins.add(member.client.connect()
                        .thenCompose(v -> member.client.join(HeraldSuite.APP, room, 0))
                        .whenComplete((joined, error) -> inFlight.release()));
            }
            CompletableFuture.allOf(joins.toArray(new CompletableFuture<?>[0])).get(3, TimeUnit.MINUTES);
            await().atMost(DELIVERY).until(() -> memberCount(room) == BURST_MEMBERS);
            System.out.printf("room burst: %d members connected and joined in %d ms%n", BURST_MEMBERS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

            double commandsBefore = metric(suite.chatroom.managementUrl(), "herald_chatroom_fanout_commands_total");
            double deliveriesBefore = metric(suite.chatroom.managementUrl(), "herald_chatroom_fanout_deliveries_total");
            double writes1Before = metric(suite.access1.managementUrl(), "herald_access_rooms_messages_total");
            double writes2Before = metric(suite.access2.managementUrl(), "herald_access_rooms_messages_total");

            // As fast as the API takes them, 8 requests in flight (an app server's connection pool).
            long burstStart = System.nanoTime();
            Semaphore requests = new Semaphore(8);
            List<CompletableFuture<Integer>> posts = new ArrayList<>();
            for (int i = 0; i < BURST_MESSAGES; i++) {
                requests.acquire();
                posts.add(api.postAsync("/v1/apps/demo/rooms/" + room + "/messages", "{\"text\":\"burst-" + i + "\"}")
                        .whenComplete((status, error) -> requests.release()));
            }
            for (CompletableFuture<Integer> p : posts) {
                assertThat(p.get(30, TimeUnit.SECONDS)).isEqualTo(202);
            }
            long postedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - burstStart);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> received.get() >= expected);
            long millis = TimeUnit.NANOSECONDS.toMillis(lastArrival.get() - burstStart);
            System.out.printf("room burst: %d messages to %d members on 2 nodes (%d deliveries) received completely in "
                    + "%d ms from the first post (%.0f deliveries/s; posting took %d ms)%n", BURST_MESSAGES, BURST_MEMBERS,
                    expected, millis, expected * 1000.0 / Math.max(1, millis), postedMillis);

            String reference = members.get(0).orderHash();
            for (BurstMember member : members) {
                assertThat(member.count).as("messages at one member").isEqualTo(BURST_MESSAGES);
                assertThat(member.outOfOrder).as("seq went backwards at a member").isFalse();
                assertThat(member.orderHash()).as("every member saw the same order").isEqualTo(reference);
            }
            double commands = metric(suite.chatroom.managementUrl(), "herald_chatroom_fanout_commands_total") - commandsBefore;
            double deliveries = metric(suite.chatroom.managementUrl(), "herald_chatroom_fanout_deliveries_total") - deliveriesBefore;
            double writes1 = metric(suite.access1.managementUrl(), "herald_access_rooms_messages_total") - writes1Before;
            double writes2 = metric(suite.access2.managementUrl(), "herald_access_rooms_messages_total") - writes2Before;
            System.out.printf("room burst: between services %.0f stream entries carrying %.0f (message, node) pairs; "
                    + "writes to members: access-1 %.0f, access-2 %.0f%n", commands, deliveries, writes1, writes2);
            assertThat(deliveries).as("each message crosses to each hosting node once: O(nodes)")
                    .isEqualTo(2.0 * BURST_MESSAGES);
            assertThat(commands).as("at most one stream entry per node per message").isLessThanOrEqualTo(2.0 * BURST_MESSAGES);
            assertThat(writes1 + writes2).as("one write per member per message").isEqualTo((double) expected);
        } finally {
            for (BurstMember member : members) {
                if (member.client != null) {
                    member.client.close();
                }
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            ResourceLeakDetector.setLevel(leakLevel);
        }
    }

    private static double metric(String baseUrl, String name) {
        try {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            return text.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A lean member: counts, checks the order and folds the message ids into a hash of the order it saw. */
    private static final class BurstMember implements PushListener {
        final AtomicLong total;
        final long expected;
        final AtomicLong lastArrival;
        PushClient client;
        int count;
        long lastSeq;
        boolean outOfOrder;
        long hash = 17;

        BurstMember(AtomicLong total, long expected, AtomicLong lastArrival) {
            this.total = total;
            this.expected = expected;
            this.lastArrival = lastArrival;
        }

        @Override
        public void onRoomMessage(RoomMessage message) {
            count++;
            outOfOrder |= message.roomSeq() <= lastSeq;
            lastSeq = message.roomSeq();
            hash = hash * 31 + message.id().hashCode();
            if (total.incrementAndGet() == expected) {
                lastArrival.set(System.nanoTime());
            }
        }

        String orderHash() {
            return Long.toHexString(hash);
        }
    }
}
