package dev.herald.bench.report;

import java.util.Locale;

/** Number formats for the one-line summaries. */
public final class Figures {

    private Figures() {
    }

    public static String ms(double millis) {
        if (millis >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    public static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f/s", perSecond);
    }

    public static String seconds(double seconds) {
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }

    public static String bytes(double bytes) {
        double abs = Math.abs(bytes);
        if (abs >= 1 << 30) {
            return String.format(Locale.ROOT, "%.2f GB", bytes / (1 << 30));
        }
        if (abs >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20));
        }
        if (abs >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / (1 << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }

    public static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
