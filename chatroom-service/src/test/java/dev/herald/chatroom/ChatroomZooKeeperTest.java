package dev.herald.chatroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.config.nodes.AccessNode;
import dev.herald.config.nodes.AccessNodeRegistration;
import dev.herald.config.testing.ZooKeeperExtension;
import dev.herald.config.zookeeper.HeraldZooKeeperProperties;
import dev.herald.config.zookeeper.ZooKeeperClient;
import dev.herald.core.redis.RedisKeys;
import dev.herald.core.room.RoomRef;
import dev.herald.room.RoomScripts;
import dev.herald.testsupport.RedisExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * With ZooKeeper, an access node's room members are removed when it leaves discovery (its session ends), and
 * kept while it is registered, whatever its Redis heartbeat says.
 */
class ChatroomZooKeeperTest {

    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    @RegisterExtension
    static final ZooKeeperExtension ZK = new ZooKeeperExtension();

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ROOM = "zk-room";

    private static ConfigurableApplicationContext chatroom;
    private static ReactiveStringRedisTemplate redis;

    @BeforeAll
    static void start() {
        chatroom = new SpringApplicationBuilder(ChatroomServiceApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.reactor.netty.shutdown-quiet-period=0s",
                "--herald.zookeeper.connect-string=" + ZK.connectString(),
                "--herald.chatroom.cell=c1",
                "--herald.chatroom.sweep-interval=PT0.2S",
                "--herald.chatroom.purge-grace=PT0.5S");
        redis = chatroom.getBean(ReactiveStringRedisTemplate.class);
    }

    @AfterAll
    static void stop() {
        if (chatroom != null) {
            chatroom.close();
        }
    }

    private static void join(String device, String node) {
        redis.execute(RedisScript.of(RoomScripts.JOIN, List.class), List.of(RedisKeys.roomMembers("demo", ROOM),
                RedisKeys.roomNodes("demo", ROOM), RedisKeys.roomNodeMembers("demo", ROOM, node),
                RedisKeys.roomBans("demo", ROOM), RedisKeys.roomSeq("demo", ROOM)),
                List.of(device, node, String.valueOf(System.currentTimeMillis()))).blockLast(WAIT);
        redis.opsForSet().add(RedisKeys.nodeRooms(node), new RoomRef("demo", ROOM).key()).block(WAIT);
        redis.opsForSet().add(RedisKeys.roomHosts("c1"), node).block(WAIT);
    }

    private static boolean member(String device) {
        return Boolean.TRUE.equals(redis.opsForHash().hasKey(RedisKeys.roomMembers("demo", ROOM), device).block(WAIT));
    }

    @Test
    void aNodeThatLeavesDiscoveryLosesItsMembersAndARegisteredOneKeepsThem() {
        ZooKeeperClient session = new ZooKeeperClient(new HeraldZooKeeperProperties(ZK.connectString(),
                ZooKeeperExtension.ROOT, Duration.ofSeconds(15), Duration.ofSeconds(3), Duration.ofSeconds(2)));
        try {
            AccessNodeRegistration registration = new AccessNodeRegistration(session);
            registration.register(new AccessNode("zk-node-1", "c1", "10.0.0.1", 7070, 8084));
            join("alive-member", "zk-node-1");
            join("dead-member", "zk-node-2");

            await().atMost(WAIT).until(() -> !member("dead-member"));
            assertThat(member("alive-member")).as("a registered node keeps its members without any heartbeat").isTrue();

            registration.unregister();
            await().atMost(WAIT).until(() -> !member("alive-member"));
            assertThat(redis.opsForHash().size(RedisKeys.roomNodes("demo", ROOM)).block(WAIT)).isZero();
        } finally {
            session.close();
        }
    }
}
