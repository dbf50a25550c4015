package dev.herald.bench.report;

import org.HdrHistogram.Histogram;

/** Percentiles of a histogram of microseconds, in milliseconds. */
public record LatencySummary(long count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs,
                             double meanMs) {

    public static LatencySummary of(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(),
                ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
                ms(micros.getMaxValue()), Math.round(micros.getMean()) / 1000.0);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }

    /** {@code p50 1.2 ms, p99 8.0 ms, p999 12.5 ms, max 20.1 ms}. */
    public String oneLine() {
        return "p50 " + Figures.ms(p50Ms) + ", p99 " + Figures.ms(p99Ms) + ", p999 " + Figures.ms(p999Ms)
                + ", max " + Figures.ms(maxMs);
    }
}
