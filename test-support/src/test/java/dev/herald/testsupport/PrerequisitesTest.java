package dev.herald.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class PrerequisitesTest {

    @Test
    void aPresentToolLetsTheTestRunOnCiAndOff() {
        assertThatCode(() -> Prerequisites.require(true, "curl", true)).doesNotThrowAnyException();
        assertThatCode(() -> Prerequisites.require(true, "curl", false)).doesNotThrowAnyException();
    }

    @Test
    void aMissingToolSkipsTheTestOffCi() {
        assertThatThrownBy(() -> Prerequisites.require(false, "curl: apt-get install -y curl", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install -y curl");
    }

    @Test
    void aMissingToolFailsTheTestOnCi() {
        assertThatThrownBy(() -> Prerequisites.require(false, "curl: apt-get install -y curl", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("CI=true")
                .hasMessageContaining("apt-get install -y curl");
    }
}
