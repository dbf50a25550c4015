package dev.herald.ops.profiling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JfrSummarizerTest {

    @Test
    void arrayClassesReadAsJavaWritesThem() {
        assertThat(JfrSummarizer.readable("[B")).isEqualTo("byte[]");
        assertThat(JfrSummarizer.readable("[[J")).isEqualTo("long[][]");
        assertThat(JfrSummarizer.readable("[Ljava.lang.String;")).isEqualTo("java.lang.String[]");
        assertThat(JfrSummarizer.readable("java.lang.String")).isEqualTo("java.lang.String");
    }

    @Test
    void sharesArePercentagesWithTwoDecimals() {
        assertThat(JfrSummarizer.percent(1, 3)).isEqualTo(33.33);
        assertThat(JfrSummarizer.percent(5, 0)).isZero();
    }
}
