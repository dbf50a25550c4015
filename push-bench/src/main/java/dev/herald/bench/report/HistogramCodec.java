package dev.herald.bench.report;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Histograms travel between processes and agents as base64 of HdrHistogram's compressed encoding,
 * so percentiles of a distributed run are computed over every sample, not averaged per agent.
 */
public final class HistogramCodec {

    private HistogramCodec() {
    }

    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public static Histogram decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return empty();
        }
        try {
            Histogram h = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
            h.setAutoResize(true);
            return h;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not an encoded histogram", e);
        }
    }

    /** An auto-resizing histogram with 3 significant digits, the precision used throughout. */
    public static Histogram empty() {
        return new Histogram(3);
    }

    /** Adds all histograms into a new one. */
    public static Histogram merge(Iterable<Histogram> histograms) {
        Histogram total = empty();
        for (Histogram h : histograms) {
            total.add(h);
        }
        return total;
    }
}
