package dev.herald.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class HistogramCodecTest {

    @Test
    void encodedHistogramsDecodeToTheSameCounts() {
        Histogram h = HistogramCodec.empty();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            h.recordValue(1 + random.nextLong(5_000_000));
        }
        Histogram back = HistogramCodec.decode(HistogramCodec.encode(h));

        assertThat(back).isEqualTo(h);
        assertThat(back.getValueAtPercentile(99.9)).isEqualTo(h.getValueAtPercentile(99.9));
    }

    @Test
    void mergingPartsGivesThePercentilesOfAllSamples() {
        Histogram fast = HistogramCodec.empty();
        Histogram slow = HistogramCodec.empty();
        Histogram all = HistogramCodec.empty();
        for (int i = 1; i <= 900; i++) {
            fast.recordValue(1_000);
            all.recordValue(1_000);
        }
        for (int i = 1; i <= 100; i++) {
            slow.recordValue(50_000);
            all.recordValue(50_000);
        }
        Histogram merged = HistogramCodec.merge(List.of(
                HistogramCodec.decode(HistogramCodec.encode(fast)), HistogramCodec.decode(HistogramCodec.encode(slow))));

        assertThat(merged.getTotalCount()).isEqualTo(1000);
        assertThat(merged.getValueAtPercentile(50)).isEqualTo(all.getValueAtPercentile(50));
        assertThat(merged.getValueAtPercentile(95)).isEqualTo(all.getValueAtPercentile(95));
    }

    @Test
    void anEmptyEncodingIsAnEmptyHistogram() {
        assertThat(HistogramCodec.decode("").getTotalCount()).isZero();
        assertThat(HistogramCodec.decode(null).getTotalCount()).isZero();
        assertThat(LatencySummary.of(HistogramCodec.empty()).count()).isZero();
    }

    @Test
    void latencySummaryIsInMilliseconds() {
        Histogram h = HistogramCodec.empty();
        h.recordValue(2_000);
        LatencySummary s = LatencySummary.of(h);
        assertThat(s.p50Ms()).isEqualTo(2.0);
        assertThat(s.maxMs()).isEqualTo(2.0);
        assertThat(s.oneLine()).isEqualTo("p50 2.0 ms, p99 2.0 ms, p999 2.0 ms, max 2.0 ms");
    }
}
