package dev.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.protocol.fuzz.FuzzReport;
import dev.herald.protocol.fuzz.FuzzRun;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The fuzz harness itself catches what the campaigns rely on it to catch. */
class FuzzRunTest {

    @Test
    void aBufferLeakedByAnInputFailsTheCampaign() {
        assertThatThrownBy(() -> FuzzRun.runExactly("harness-leak", 10, (random, report) -> {
            new UnpooledByteBufAllocator(true).directBuffer(16).writeInt(1); // never released
            report.outcome("leaked");
        })).hasMessageContaining("the leak detector reported").hasMessageContaining("LEAK");
    }

    @Test
    void aWarningLoggedWhileAnInputRunsFailsItWithTheSeedToReplayIt() {
        assertThatThrownBy(() -> FuzzRun.runExactly("harness-warning", 10, (random, report) ->
                LoggerFactory.getLogger("dev.herald.fuzz").warn("error on connection, closing it",
                        new IllegalStateException("escaped"))))
                .hasMessageContaining("input 0 failed; replay it with -Dherald.fuzz.seed=")
                .hasMessageContaining("-Dherald.fuzz.input=0")
                .hasMessageContaining("escaped");
    }

    @Test
    void everyInputRunsAndIsCounted() {
        FuzzReport report = FuzzRun.runExactly("harness-count", 50, (random, r) -> r.outcome(random.nextBoolean() ? "a" : "b"));

        assertThat(report.inputs()).isEqualTo(50);
        assertThat(report.count("a") + report.count("b")).isEqualTo(report.inputs());
    }
}
