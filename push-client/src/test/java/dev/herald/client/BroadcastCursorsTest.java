package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BroadcastCursorsTest {

    private final BroadcastCursors cursors = new BroadcastCursors(List.of("demo", "news"), Map.of("news", 17L));

    @Test
    void eachAppStartsAtItsInitialCursorOrZero() {
        assertThat(cursors.get("demo")).isZero();
        assertThat(cursors.get("news")).isEqualTo(17);
        assertThat(cursors.get("unknown")).isZero();
    }

    @Test
    void aCursorOnlyMovesForward() {
        assertThat(cursors.advance("news", 18)).isTrue();
        assertThat(cursors.advance("news", 18)).isFalse();
        assertThat(cursors.advance("news", 5)).isFalse();

        assertThat(cursors.get("news")).isEqualTo(18);
        assertThat(cursors.get("demo")).isZero();
    }
}
