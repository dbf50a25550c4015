package dev.herald.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.Frame;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class DeviceLoginTest {

    private final AtomicInteger newsTokens = new AtomicInteger();
    private final BroadcastCursors cursors = new BroadcastCursors(List.of("news", "demo"), Map.of("demo", 4L));

    private DeviceLogin login(Duration keepAlive) {
        Map<String, Supplier<String>> tokens = new LinkedHashMap<>();
        tokens.put("news", () -> "news-" + newsTokens.incrementAndGet());
        tokens.put("demo", () -> "demo-token");
        return new DeviceLogin("device-7", tokens, keepAlive, cursors);
    }

    @Test
    void connectNamesTheAppsInTheBuildersOrderWithAFreshTokenAndTheCurrentCursor() {
        DeviceLogin login = login(Duration.ofSeconds(30));

        assertThat(login.connectFrame(1)).isEqualTo(new Frame.Connect(1, 30, "device-7", List.of(
                new Frame.AppLogin("news", "news-1", 0), new Frame.AppLogin("demo", "demo-token", 4))));
        cursors.advance("news", 9);
        assertThat(login.connectFrame(1).apps()).containsExactly(
                new Frame.AppLogin("news", "news-2", 9), new Frame.AppLogin("demo", "demo-token", 4));
        assertThat(login.apps()).containsExactly("news", "demo");
        assertThat(login.logsInTo("demo")).isTrue();
        assertThat(login.logsInTo("other")).isFalse();
    }

    @Test
    void keepAliveGoesOutInWholeSecondsRoundedUpWithinTheFieldsRange() {
        assertThat(login(Duration.ofMillis(1500)).connectFrame(1).keepAliveSeconds()).isEqualTo(2);
        assertThat(login(Duration.ofMillis(1)).connectFrame(1).keepAliveSeconds()).isEqualTo(1);
        assertThat(login(Duration.ofDays(2)).connectFrame(1).keepAliveSeconds()).isEqualTo(0xFFFF);
    }

    @Test
    void heartbeatIsTheServersWhenShorterThanOurKeepAlive() {
        DeviceLogin login = login(Duration.ofSeconds(30));

        assertThat(login.heartbeatMillis(10)).isEqualTo(10_000);
        assertThat(login.heartbeatMillis(60)).isEqualTo(30_000);
        assertThat(login.heartbeatMillis(0)).isEqualTo(30_000);
    }
}
