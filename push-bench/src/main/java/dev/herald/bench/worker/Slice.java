package dev.herald.bench.worker;

import java.util.ArrayList;
import java.util.List;

/** A contiguous range of device indexes given to one process or agent. */
public record Slice(int first, int count) {

    public Slice {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("slice must have first >= 0 and count >= 0");
        }
    }

    /**
     * Splits {@code count} devices starting at {@code first} into {@code parts} contiguous slices whose
     * sizes differ by at most one (the first slices take the remainder).
     */
    public static List<Slice> split(int first, int count, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be >= 1");
        }
        List<Slice> slices = new ArrayList<>(parts);
        int base = count / parts;
        int remainder = count % parts;
        int next = first;
        for (int i = 0; i < parts; i++) {
            int size = base + (i < remainder ? 1 : 0);
            slices.add(new Slice(next, size));
            next += size;
        }
        return slices;
    }

    /** Slices of {@code perPart} devices each, one per part, starting at {@code first} (agents: clients per agent). */
    public static List<Slice> fixed(int first, int perPart, int parts) {
        List<Slice> slices = new ArrayList<>(parts);
        for (int i = 0; i < parts; i++) {
            slices.add(new Slice(first + i * perPart, perPart));
        }
        return slices;
    }
}
