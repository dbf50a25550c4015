package dev.herald.ops.profiling;

import dev.herald.ops.profiling.ProfileSummary.AllocationBytes;
import dev.herald.ops.profiling.ProfileSummary.Collector;
import dev.herald.ops.profiling.ProfileSummary.MethodSamples;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a {@code .jfr} file once, event by event (never all in memory), and counts what
 * {@link ProfileSummary} shows. Lists keep at most {@link #MAX_ROWS} rows, enough for a diff of two
 * snapshots to see methods that moved in or out of the top.
 */
final class JfrSummarizer {

    static final int MAX_ROWS = 200;

    private final Map<String, Long> cpu = new HashMap<>();
    private final Map<String, Long> sites = new HashMap<>();
    private final Map<String, Long> classes = new HashMap<>();
    private final Map<String, double[]> collectors = new TreeMap<>();
    private long executionSamples;
    private long allocatedBytes;
    private long heapMin = Long.MAX_VALUE;
    private long heapMax;
    private long heapLast;
    private double jvmLoad;
    private double machineLoad;
    private long loadSamples;
    private long threadsPeak;
    private long threadsLast;

    private JfrSummarizer() {
    }

    static ProfileSummary summarize(Path file, Snapshot snapshot) throws IOException {
        JfrSummarizer summarizer = new JfrSummarizer();
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                summarizer.accept(recording.readEvent());
            }
        }
        return summarizer.summary(snapshot);
    }

    private void accept(RecordedEvent event) {
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> {
                executionSamples++;
                RecordedFrame top = firstFrame(event.getStackTrace(), false);
                cpu.merge(top == null ? "(no stack)" : method(top.getMethod()), 1L, Long::sum);
            }
            case "jdk.ObjectAllocationSample" -> {
                long weight = event.getLong("weight");
                allocatedBytes += weight;
                RecordedFrame site = firstFrame(event.getStackTrace(), true);
                sites.merge(site == null ? "(no stack)" : method(site.getMethod()), weight, Long::sum);
                RecordedClass type = event.getClass("objectClass");
                classes.merge(type == null ? "(unknown)" : readable(type.getName()), weight, Long::sum);
            }
            case "jdk.GarbageCollection" -> {
                double[] c = collectors.computeIfAbsent(event.getString("name"), name -> new double[3]);
                double pause = millis(event.getDuration("sumOfPauses"));
                c[0]++;
                c[1] += pause;
                c[2] = Math.max(c[2], millis(event.getDuration("longestPause")));
            }
            case "jdk.GCHeapSummary" -> {
                if ("After GC".equals(event.getString("when"))) {
                    long used = event.getLong("heapUsed");
                    heapMin = Math.min(heapMin, used);
                    heapMax = Math.max(heapMax, used);
                    heapLast = used;
                }
            }
            case "jdk.CPULoad" -> {
                jvmLoad += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                machineLoad += event.getFloat("machineTotal");
                loadSamples++;
            }
            case "jdk.JavaThreadStatistics" -> {
                threadsLast = event.getLong("activeCount");
                threadsPeak = Math.max(threadsPeak, event.getLong("peakCount"));
            }
            default -> {
                // other events of the configuration are not summarised
            }
        }
    }

    /**
     * The top frame, or for an allocation the first frame outside the JDK (a {@code byte[]} allocated in
     * {@code Arrays.copyOf} belongs to whoever called it); the top frame when every frame is the JDK's.
     */
    private static RecordedFrame firstFrame(RecordedStackTrace stack, boolean outsideJdk) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return null;
        }
        List<RecordedFrame> frames = stack.getFrames();
        if (outsideJdk) {
            for (RecordedFrame frame : frames) {
                if (frame.isJavaFrame() && !isJdk(frame.getMethod().getType().getName())) {
                    return frame;
                }
            }
        }
        return frames.get(0);
    }

    private static boolean isJdk(String type) {
        return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("javax.");
    }

    /** {@code [B} → {@code byte[]}, {@code [Ljava.lang.String;} → {@code java.lang.String[]}; others as they are. */
    static String readable(String className) {
        int dimensions = 0;
        while (dimensions < className.length() && className.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions == 0) {
            return className;
        }
        String element = className.substring(dimensions);
        String name = switch (element) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            default -> element.startsWith("L") && element.endsWith(";") ? element.substring(1, element.length() - 1) : element;
        };
        return name + "[]".repeat(dimensions);
    }

    private static String method(RecordedMethod method) {
        return method.getType().getName() + "." + method.getName();
    }

    private static double millis(Duration duration) {
        return duration == null ? 0 : duration.toNanos() / 1_000_000.0;
    }

    private ProfileSummary summary(Snapshot snapshot) {
        List<MethodSamples> methods = new ArrayList<>();
        for (Map.Entry<String, Long> e : top(cpu)) {
            methods.add(new MethodSamples(e.getKey(), e.getValue(), percent(e.getValue(), executionSamples)));
        }
        List<Collector> gcs = new ArrayList<>();
        long collections = 0;
        double totalPause = 0;
        double maxPause = 0;
        for (Map.Entry<String, double[]> e : collectors.entrySet()) {
            double[] c = e.getValue();
            gcs.add(new Collector(e.getKey(), (long) c[0], round(c[1]), round(c[2])));
            collections += (long) c[0];
            totalPause += c[1];
            maxPause = Math.max(maxPause, c[2]);
        }
        return new ProfileSummary(snapshot, executionSamples, methods, allocatedBytes, allocations(sites),
                allocations(classes), new ProfileSummary.GcSummary(collections, round(totalPause), round(maxPause), gcs),
                new ProfileSummary.HeapAfterGc(heapMax == 0 ? 0 : heapMin, heapMax, heapLast),
                new ProfileSummary.CpuLoad(loadSamples == 0 ? 0 : round(100 * jvmLoad / loadSamples),
                        loadSamples == 0 ? 0 : round(100 * machineLoad / loadSamples)),
                new ProfileSummary.Threads(threadsPeak, threadsLast));
    }

    private List<AllocationBytes> allocations(Map<String, Long> bytes) {
        List<AllocationBytes> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : top(bytes)) {
            rows.add(new AllocationBytes(e.getKey(), e.getValue(), percent(e.getValue(), allocatedBytes)));
        }
        return rows;
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_ROWS)
                .toList();
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : round(100.0 * part / whole);
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
