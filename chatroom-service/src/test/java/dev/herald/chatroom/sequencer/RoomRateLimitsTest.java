package dev.herald.chatroom.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.room.RoomRef;
import org.junit.jupiter.api.Test;

class RoomRateLimitsTest {

    private static final RoomRef LOBBY = new RoomRef("demo", "lobby");
    private static final RoomRef OTHER = new RoomRef("demo", "other");

    @Test
    void aRoomTakesItsBurstThenItsRate() {
        RoomRateLimits limits = new RoomRateLimits(10, 3);
        long t = 1_000_000_000L;
        assertThat(limits.tryTake(LOBBY, t)).isTrue();
        assertThat(limits.tryTake(LOBBY, t)).isTrue();
        assertThat(limits.tryTake(LOBBY, t)).isTrue();
        assertThat(limits.tryTake(LOBBY, t)).isFalse();
        // Rooms are independent.
        assertThat(limits.tryTake(OTHER, t)).isTrue();
        // 10/s: one more after 100 ms, not before.
        assertThat(limits.tryTake(LOBBY, t + 50_000_000L)).isFalse();
        assertThat(limits.tryTake(LOBBY, t + 110_000_000L)).isTrue();
    }

    @Test
    void idleRoomsAreForgotten() {
        RoomRateLimits limits = new RoomRateLimits(10, 3);
        limits.tryTake(LOBBY, 0);
        limits.tryTake(OTHER, 0);
        limits.tryTake(OTHER, 10_000_000_000L);
        assertThat(limits.size()).isEqualTo(1);
    }
}
