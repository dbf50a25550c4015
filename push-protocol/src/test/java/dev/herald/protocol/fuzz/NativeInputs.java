package dev.herald.protocol.fuzz;

import dev.herald.protocol.Frame;
import dev.herald.protocol.FrameCodec;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Pieces of a native byte stream for the fuzzers: valid frames ({@link ValidFrames}), valid frames
 * mutated at byte level ({@link Mutations}), frames whose header or length prefix is set to a boundary
 * (lengths 0 to 7, the frame limit and its neighbours, 2³¹ and 2³²−1; versions and opcodes other than
 * those of version 1, reserved opcodes), bodies cut short or extended with the length prefix made to
 * agree (so the body decoder, not the framing, meets them), frames of random bodies, and plain random
 * bytes.
 */
public final class NativeInputs {

    private final int maxFrameBytes;
    private final Mutations mutations;

    public NativeInputs(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.mutations = new Mutations(maxFrameBytes - 4, maxFrameBytes, FrameCodec.MAX_STRING_BYTES,
                FrameCodec.MAX_APPS_PER_CONNECT, FrameCodec.MAX_IDS_PER_ACK);
    }

    public Mutations mutations() {
        return mutations;
    }

    /** A valid frame that fits the limit, encoded. */
    public byte[] valid(SplittableRandom random) {
        return ValidFrames.encode(ValidFrames.any(random, maxFrameBytes));
    }

    /** Any piece: valid, mutated, a header at a boundary, a random frame, or random bytes. */
    public byte[] piece(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> valid(random);
            case 2 -> random.nextInt(8) == 0 ? Mutations.randomBytes(random, random.nextInt(64))
                    : Mutations.randomBytes(random, random.nextInt(maxFrameBytes * 2));
            case 3 -> randomFrame(random);
            default -> malformed(random, valid(random));
        };
    }

    /** {@code valid} made malformed (or, rarely by chance, still valid) in one structure-aware way. */
    public byte[] malformed(SplittableRandom random, byte[] valid) {
        byte[] frame = valid.clone();
        switch (random.nextInt(7)) {
            case 0: // the length prefix at a boundary, the rest unchanged
                Mutations.writeInt(frame, 0, 4, lengthBoundary(random));
                return frame;
            case 1: // a version other than 1
                frame[4] = (byte) (random.nextBoolean() ? random.nextInt(256) : random.nextInt(3));
                return frame;
            case 2: // another opcode: unassigned, reserved or random
                frame[5] = (byte) switch (random.nextInt(3)) {
                    case 0 -> 0;
                    case 1 -> 0x10 + random.nextInt(0x3F - 0x10 + 1);
                    default -> random.nextInt(256);
                };
                return frame;
            case 3: { // body cut short, prefix agreeing
                int cut = FrameCodec.LENGTH_FIELD_BYTES + random.nextInt(Math.max(1, frame.length - FrameCodec.LENGTH_FIELD_BYTES));
                return withAgreeingPrefix(Arrays.copyOf(frame, cut));
            }
            case 4: // trailing bytes after the body, prefix agreeing
                return withAgreeingPrefix(Mutations.concat(frame, Mutations.randomBytes(random, 1 + random.nextInt(8))));
            case 5: // a body field overwritten, prefix agreeing
                return withAgreeingPrefix(mutations.mutate(random, frame, valid(random)));
            default: // any mutation, prefix left as it comes out
                return mutations.mutate(random, frame, valid(random));
        }
    }

    /** A length prefix that agrees with the header, version 1 mostly, a random opcode and body. */
    public byte[] randomFrame(SplittableRandom random) {
        int body = random.nextInt(Math.min(256, maxFrameBytes));
        byte[] frame = Mutations.randomBytes(random, FrameCodec.LENGTH_FIELD_BYTES + FrameCodec.HEADER_BYTES + body);
        frame[4] = (byte) (random.nextInt(10) == 0 ? random.nextInt(256) : Frame.VERSION);
        frame[5] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 1 + random.nextInt(10));
        return withAgreeingPrefix(frame);
    }

    /** A length value at an edge: below a header, around the limit, or huge. */
    public long lengthBoundary(SplittableRandom random) {
        int limit = maxFrameBytes - FrameCodec.LENGTH_FIELD_BYTES;
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt(FrameCodec.HEADER_BYTES + 1);
            case 1 -> limit - 1 + random.nextInt(3);
            case 2 -> 0x7FFFFFFFL + random.nextInt(2);
            case 3 -> 0xFFFFFFFFL;
            default -> mutations.boundary(random) & 0xFFFFFFFFL;
        };
    }

    /** Sets the length prefix to the number of bytes that follow it (bytes shorter than a prefix pass as they are). */
    public static byte[] withAgreeingPrefix(byte[] frame) {
        if (frame.length >= FrameCodec.LENGTH_FIELD_BYTES) {
            Mutations.writeInt(frame, 0, 4, frame.length - FrameCodec.LENGTH_FIELD_BYTES);
        }
        return frame;
    }
}
