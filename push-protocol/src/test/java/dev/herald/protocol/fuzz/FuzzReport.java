package dev.herald.protocol.fuzz;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one fuzz campaign saw: how each input ended (an outcome per input, such as
 * {@code closed: DISCONNECT MALFORMED_FRAME}), tallies of what the server answered along the way, the
 * most buffer memory one connection held, the JVM's heap, and the rate. Printed at the end of the
 * campaign and written to {@code target/fuzz-reports/<campaign>.txt}.
 */
public final class FuzzReport {

    private final String campaign;
    private final long seed;
    private final Map<String, long[]> outcomes = new TreeMap<>();
    private final Map<String, long[]> tallies = new TreeMap<>();
    private long inputs;
    private long bytes;
    private long peakConnectionBytes;
    private long peakDecoderBytes;
    private long peakHeapBytes;
    private long startNanos;
    private long elapsedNanos;
    private String limits = "";

    public FuzzReport(String campaign, long seed) {
        this.campaign = campaign;
        this.seed = seed;
    }

    /** How one input ended; every input records exactly one. */
    public void outcome(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> new long[1])[0]++;
    }

    /** Something the server did during an input (a frame it answered, an ERROR it sent), counted. */
    public void tally(String what, long count) {
        if (count != 0) {
            tallies.computeIfAbsent(what, o -> new long[1])[0] += count;
        }
    }

    /** Bytes one input fed to its connection. */
    public void fed(long inputBytes) {
        bytes += inputBytes;
    }

    /** Buffer bytes a connection held at one moment (see {@link BufferMeter}). */
    public void connectionBytes(long live) {
        peakConnectionBytes = Math.max(peakConnectionBytes, live);
    }

    /** Bytes one decoder held between reads (see {@link DecoderBuffers}). */
    public void decoderBytes(long held) {
        peakDecoderBytes = Math.max(peakDecoderBytes, held);
    }

    public long peakDecoderBytes() {
        return peakDecoderBytes;
    }

    /** The limits the campaign ran with, for the report (max frame size, largest read). */
    public void limits(String description) {
        this.limits = description;
    }

    public long peakConnectionBytes() {
        return peakConnectionBytes;
    }

    public long count(String outcome) {
        long[] count = outcomes.get(outcome);
        return count == null ? 0 : count[0];
    }

    public Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v[0]));
        return copy;
    }

    void started() {
        startNanos = System.nanoTime();
    }

    void inputDone() {
        inputs++;
        if ((inputs & 0xFF) == 0) {
            sampleHeap();
        }
    }

    void finished() {
        elapsedNanos = System.nanoTime() - startNanos;
        sampleHeap();
    }

    private void sampleHeap() {
        peakHeapBytes = Math.max(peakHeapBytes, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    public long inputs() {
        return inputs;
    }

    public String render() {
        double seconds = elapsedNanos / 1e9;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "fuzz %s: %,d inputs (%,.1f MB) in %.1f s = %,.0f inputs/s; seed %d%n",
                campaign, inputs, bytes / 1e6, seconds, inputs / Math.max(seconds, 1e-9), seed));
        if (!limits.isEmpty()) {
            out.append("  ").append(limits).append('\n');
        }
        out.append(String.format(Locale.ROOT,
                "  most a decoder held between reads: %,d bytes; most buffer memory a connection held: %,d bytes;"
                        + " JVM heap used at most: %,d MB of %,d MB%n",
                peakDecoderBytes, peakConnectionBytes, peakHeapBytes >> 20, Runtime.getRuntime().maxMemory() >> 20));
        out.append(String.format(Locale.ROOT, "  %s, %d cores, leak detection %s%n",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ResourceLeakDetector.getLevel()));
        out.append("  how inputs ended:\n");
        outcomes.forEach((k, v) -> out.append(String.format(Locale.ROOT, "    %12d  %s%n", v[0], k)));
        if (!tallies.isEmpty()) {
            out.append("  along the way:\n");
            tallies.forEach((k, v) -> out.append(String.format(Locale.ROOT, "    %12d  %s%n", v[0], k)));
        }
        return out.toString();
    }

    void publish() {
        String text = render();
        System.out.print(text);
        try {
            Path dir = Path.of("target", "fuzz-reports");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(campaign + ".txt"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
