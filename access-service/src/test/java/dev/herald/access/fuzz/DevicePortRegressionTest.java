package dev.herald.access.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.protocol.ErrorCode;
import dev.herald.protocol.Frame;
import dev.herald.protocol.fuzz.CrashLog;
import dev.herald.protocol.fuzz.FuzzReport;
import dev.herald.protocol.fuzz.Mutations;
import dev.herald.protocol.fuzz.ValidFrames;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Inputs the fuzzer found mishandled, kept as plain tests once fixed. */
class DevicePortRegressionTest {

    private final FuzzedNode node = new FuzzedNode();

    @AfterEach
    void closeNode() {
        node.close();
    }

    /** Was counted twice, as {@code timeout} by the deadline and {@code truncated} by the detector's close. */
    @Test
    void aConnectionSilentBeforeItsProtocolIsKnownIsCountedOnceAsATimeout() {
        run(connection -> {
            connection.feed(new byte[] {0, 0}, new SplittableRandom(1), report());
            connection.runDeadlines();

            assertThat(connection.open()).isFalse();
            assertThat(connection.fromServer()).isEmpty();
            assertThat(connection.rejected()).isEqualTo(Map.of("timeout", 1.0));
        });
    }

    /** Runs {@code test} on a new connection; nothing may be logged as a warning or error meanwhile. */
    private void run(java.util.function.Consumer<FuzzedConnection> test) {
        try (CrashLog crashes = CrashLog.open()) {
            FuzzedConnection connection = node.connect();
            test.accept(connection);
            connection.finish();
            assertThat(crashes.drain()).as("logged as warnings or errors").isEmpty();
        }
    }

    private static FuzzReport report() {
        return new FuzzReport("regression", 0);
    }
}
