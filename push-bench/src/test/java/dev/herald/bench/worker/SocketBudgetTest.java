package dev.herald.bench.worker;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SocketBudgetTest {

    @Test
    void aSplitWithinTheOpenFilesLimitPasses() {
        assertThatCode(() -> SocketBudget.check(19_000, 1, 20_000)).doesNotThrowAnyException();
        assertThatCode(() -> SocketBudget.check(100_000, 6, 20_000)).doesNotThrowAnyException();
    }

    @Test
    void tooManyDevicesPerProcessNameTheProcessesNeeded() {
        assertThatThrownBy(() -> SocketBudget.check(100_000, 2, 20_000))
                .hasMessageContaining("50000 devices per process").hasMessageContaining("--processes 6");
    }
}
