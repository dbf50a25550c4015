package dev.herald.protocol.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Byte-level mutations of a valid input, and the split of an input into reads. Structure-aware in
 * the way fuzzers of binary protocols are: lengths and counts are where decoders break, so besides
 * flipped bits, truncation, splicing and duplication, integers of 1, 2 and 4 bytes are overwritten with
 * boundary values ({@link #boundaries}: the protocol's own limits and their neighbours, sign and width
 * edges) at random offsets.
 */
public final class Mutations {

    private final long[] boundaries;

    /** @param limits the protocol's limits (max frame size, string limit...); each is used ±1 too */
    public Mutations(long... limits) {
        long[] fixed = {0, 1, 2, 6, 7, 8, 0x7E, 0x7F, 0x80, 0xFF, 0x100, 0x3FFF, 0x4000, 0x7FFF, 0x8000, 0xFFFF,
                0x10000, 0x1FFFFF, 0x200000, 0xFFFFFFFL, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL};
        boundaries = Arrays.copyOf(fixed, fixed.length + limits.length * 3);
        for (int i = 0; i < limits.length; i++) {
            boundaries[fixed.length + 3 * i] = limits[i] - 1;
            boundaries[fixed.length + 3 * i + 1] = limits[i];
            boundaries[fixed.length + 3 * i + 2] = limits[i] + 1;
        }
    }

    /** A boundary value, or now and then any value. */
    public long boundary(SplittableRandom random) {
        return random.nextInt(8) == 0 ? random.nextLong() : boundaries[random.nextInt(boundaries.length)];
    }

    /** Applies one to three random mutations; {@code donor} is spliced from. Never returns {@code input} itself. */
    public byte[] mutate(SplittableRandom random, byte[] input, byte[] donor) {
        byte[] out = input.clone();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            out = mutateOnce(random, out, donor);
        }
        return out;
    }

    private byte[] mutateOnce(SplittableRandom random, byte[] in, byte[] donor) {
        if (in.length == 0) {
            return randomBytes(random, 1 + random.nextInt(16));
        }
        switch (random.nextInt(12)) {
            case 0: { // flip one to four bits
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    in[random.nextInt(in.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return in;
            }
            case 1:
                in[random.nextInt(in.length)] = (byte) random.nextInt(256);
                return in;
            case 2:
                return writeBoundary(random, in, 1);
            case 3:
                return writeBoundary(random, in, 2);
            case 4:
                return writeBoundary(random, in, 4);
            case 5: // truncate
                return Arrays.copyOf(in, random.nextInt(in.length));
            case 6: { // delete a region
                int from = random.nextInt(in.length);
                int to = from + 1 + random.nextInt(Math.min(in.length - from, 64));
                return concat(Arrays.copyOfRange(in, 0, from), Arrays.copyOfRange(in, to, in.length));
            }
            case 7: { // duplicate a region
                int from = random.nextInt(in.length);
                int to = from + 1 + random.nextInt(Math.min(in.length - from, 64));
                return concat(Arrays.copyOfRange(in, 0, to), Arrays.copyOfRange(in, from, in.length));
            }
            case 8: { // insert random bytes
                int at = random.nextInt(in.length + 1);
                return concat(Arrays.copyOfRange(in, 0, at), randomBytes(random, 1 + random.nextInt(16)),
                        Arrays.copyOfRange(in, at, in.length));
            }
            case 9: { // splice: a head of this, a tail of the donor
                if (donor == null || donor.length == 0) {
                    return Arrays.copyOf(in, random.nextInt(in.length));
                }
                return concat(Arrays.copyOf(in, random.nextInt(in.length + 1)),
                        Arrays.copyOfRange(donor, random.nextInt(donor.length), donor.length));
            }
            case 10: // append random bytes
                return concat(in, randomBytes(random, 1 + random.nextInt(32)));
            default: { // swap two bytes
                int a = random.nextInt(in.length);
                int b = random.nextInt(in.length);
                byte t = in[a];
                in[a] = in[b];
                in[b] = t;
                return in;
            }
        }
    }

    /** Overwrites a big-endian integer of {@code width} bytes at a random offset with a boundary value. */
    public byte[] writeBoundary(SplittableRandom random, byte[] in, int width) {
        if (in.length < width) {
            return in;
        }
        writeInt(in, random.nextInt(in.length - width + 1), width, boundary(random));
        return in;
    }

    /** Writes the low {@code width} bytes of {@code value} big-endian at {@code offset}. */
    public static void writeInt(byte[] to, int offset, int width, long value) {
        for (int i = 0; i < width; i++) {
            to[offset + i] = (byte) (value >>> (8 * (width - 1 - i)));
        }
    }

    public static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Splits {@code total} bytes into reads as a socket might deliver them: all at once, one byte at a
     * time, small pieces, pieces up to {@code maxRead}, or a mix.
     */
    public static int[] reads(SplittableRandom random, int total, int maxRead) {
        int mode = random.nextInt(5);
        int[] sizes = new int[Math.max(total, 1)];
        int count = 0;
        for (int left = total; left > 0; ) {
            int size = switch (mode) {
                case 0 -> maxRead;
                case 1 -> total <= 1024 ? 1 : 1 + random.nextInt(4); // byte by byte, or nearly, on long inputs
                case 2 -> 1 + random.nextInt(16);
                case 3 -> 1 + random.nextInt(maxRead);
                default -> random.nextBoolean() ? 1 + random.nextInt(8) : 1 + random.nextInt(maxRead);
            };
            size = Math.min(size, left);
            sizes[count++] = size;
            left -= size;
        }
        return Arrays.copyOf(sizes, count);
    }
}
