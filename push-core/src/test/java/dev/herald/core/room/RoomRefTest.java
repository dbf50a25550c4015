package dev.herald.core.room;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.redis.RedisKeys;
import org.junit.jupiter.api.Test;

class RoomRefTest {

    @Test
    void aRoomKeyParsesBackAndRejectsOtherStrings() {
        RoomRef room = new RoomRef("demo", "lobby:1@eu");
        assertThat(RoomRef.parse(room.key())).isEqualTo(room);
        assertThat(RoomRef.parse("no-slash")).isNull();
        assertThat(RoomRef.parse("bad app/room")).isNull();
        assertThat(RoomRef.parse("demo/")).isNull();
        assertThat(RoomRef.parse(null)).isNull();
    }

    @Test
    void everyKeyOfARoomSharesItsHashTag() {
        String tag = "{demo:lobby}";
        assertThat(RedisKeys.roomMembers("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomNodes("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomNodeMembers("demo", "lobby", "access-1")).contains(tag).endsWith(":access-1");
        assertThat(RedisKeys.roomSeq("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomHistory("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomRecent("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomMuted("demo", "lobby")).contains(tag);
        assertThat(RedisKeys.roomBans("demo", "lobby")).contains(tag);
    }
}
