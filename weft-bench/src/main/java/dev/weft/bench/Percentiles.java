package dev.weft.bench;

/** Percentiles of the suites' latency histograms. */
public final class Percentiles {
    private Percentiles() { }

    /**
     * The {@code p} percentile (0..1) of {@code count} values counted in {@code histogram}, one
     * bucket per microsecond, whose last bucket holds everything at or beyond it: the bucket
     * index, or that last index if the rank falls there (or {@code count} is 0).
     */
    public static long ofHistogram(long[] histogram, long count, double p) {
        long rank = (long) Math.ceil(p * count);
        long seen = 0;
        for (int us = 0; us < histogram.length; us++) {
            seen += histogram[us];
            if (seen >= rank && rank > 0) {
                return us;
            }
        }
        return histogram.length - 1;
    }
}
