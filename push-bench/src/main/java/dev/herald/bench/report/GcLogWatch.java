package dev.herald.bench.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the GC pauses that services logged while a run went on: remembers where each GC log ended when
 * the run started and reads only what was appended. The logs are those {@code deploy/local/herald.sh}
 * writes ({@code -Xlog:gc,gc+phases,safepoint:file=<service>-gc.log}); any unified-logging GC log with
 * those tags works.
 *
 * <p>Two figures per log: the GC's own pause lines ({@code Pause Mark Start 0.013ms} under ZGC,
 * {@code Pause Young ... 9.6ms} under G1), and the safepoints' total time (reaching the safepoint
 * included), which is what the application threads actually waited.
 */
public final class GcLogWatch {

    private static final Pattern PAUSE = Pattern.compile("\\bPause\\b.*\\s(\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"([^\"]+)\".*Total: (\\d+) ns");

    private final Map<Path, Long> offsets = new LinkedHashMap<>();

    private GcLogWatch() {
    }

    /** Starts watching: what the logs hold now is not counted. Missing files count from their start. */
    public static GcLogWatch start(List<Path> logs) {
        GcLogWatch watch = new GcLogWatch();
        for (Path log : logs) {
            long size;
            try {
                size = Files.exists(log) ? Files.size(log) : 0;
            } catch (IOException e) {
                size = 0;
            }
            watch.offsets.put(log, size);
        }
        return watch;
    }

    /** The pauses logged since {@link #start}, one summary per log. */
    public List<GcPauses> finish() {
        List<GcPauses> result = new ArrayList<>();
        for (Map.Entry<Path, Long> entry : offsets.entrySet()) {
            result.add(read(entry.getKey(), entry.getValue()));
        }
        return result;
    }

    static GcPauses read(Path log, long from) {
        List<String> lines = new ArrayList<>();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            // A log rotated (shorter than before) is read from its start.
            file.seek(length < from ? 0 : from);
            byte[] rest = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - file.getFilePointer())];
            file.readFully(rest);
            lines = new String(rest, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return GcPauses.unreadable(log.toString(), e.getMessage());
        }
        return summarise(log.toString(), lines);
    }

    static GcPauses summarise(String name, List<String> lines) {
        int pauses = 0;
        double maxPause = 0;
        double totalPause = 0;
        int safepoints = 0;
        double maxSafepoint = 0;
        String maxSafepointName = "";
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.find()) {
                double ms = Double.parseDouble(pause.group(1));
                pauses++;
                totalPause += ms;
                maxPause = Math.max(maxPause, ms);
                continue;
            }
            Matcher safepoint = SAFEPOINT.matcher(line);
            if (safepoint.find()) {
                double ms = Long.parseLong(safepoint.group(2)) / 1e6;
                safepoints++;
                if (ms > maxSafepoint) {
                    maxSafepoint = ms;
                    maxSafepointName = safepoint.group(1);
                }
            }
        }
        return new GcPauses(name, pauses, Figures.round(maxPause, 3), Figures.round(totalPause, 3), safepoints,
                Figures.round(maxSafepoint, 3), maxSafepointName, null);
    }

    /**
     * GC pauses of one log during a run.
     *
     * @param pauses GC pause lines, {@code maxPauseMs} the longest
     * @param safepoints safepoints of any cause; {@code maxSafepointMs} the longest from request to resume
     */
    public record GcPauses(String log, int pauses, double maxPauseMs, double totalPauseMs, int safepoints,
                           double maxSafepointMs, String longestSafepoint, String error) {

        static GcPauses unreadable(String log, String error) {
            return new GcPauses(log, 0, 0, 0, 0, 0, "", error);
        }

        public String oneLine() {
            if (error != null) {
                return Path.of(log).getFileName() + ": unreadable (" + error + ")";
            }
            return Path.of(log).getFileName() + ": " + pauses + " GC pauses, longest " + precise(maxPauseMs)
                    + (safepoints > 0 ? "; " + safepoints + " safepoints, longest " + precise(maxSafepointMs)
                    + " (" + longestSafepoint + ")" : "");
        }

        private static String precise(double ms) {
            return String.format(java.util.Locale.ROOT, "%.3f ms", ms);
        }
    }
}
