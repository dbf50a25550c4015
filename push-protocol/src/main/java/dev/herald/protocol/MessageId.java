package dev.herald.protocol;

import java.security.SecureRandom;
import java.util.Random;

/**
 * A 128-bit message id: 48 bits of creation time in milliseconds followed by 80 random bits, so ids
 * sort by time and need no coordination between push-api instances. Its text form is the 26-character
 * Crockford base32 used by ULIDs; on the wire it is 16 bytes.
 */
public record MessageId(long high, long low) implements Comparable<MessageId> {

    public static final int BYTES = 16;
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Random RANDOM = new SecureRandom();

    public static MessageId generate() {
        return generate(System.currentTimeMillis());
    }

    static MessageId generate(long epochMillis) {
        long random16 = RANDOM.nextInt() & 0xFFFFL;
        long high = (epochMillis << 16) | random16;
        return new MessageId(high, RANDOM.nextLong());
    }

    /**
     * Ids for the messages of one request, in request order: they share their first 64 bits (time and 16
     * random bits), so their text forms share the first {@value #SHARED_PREFIX_CHARS} characters, which keys
     * can use as a hash tag (a request's status hashes then sit in one Redis Cluster slot and are written by
     * one script). The other 64 bits are the message's index in its top 12 bits, so ids sort in request
     * order, and 52 random bits.
     */
    public static MessageId[] batch(int count) {
        if (count < 1 || count > MAX_BATCH) {
            throw new IllegalArgumentException("a batch has 1.." + MAX_BATCH + " ids: " + count);
        }
        long high = generate().high();
        MessageId[] ids = new MessageId[count];
        for (int i = 0; i < count; i++) {
            ids[i] = new MessageId(high, ((long) i << 52) | (RANDOM.nextLong() >>> 12));
        }
        return ids;
    }

    /** Most ids {@link #batch} makes at once: the index has 12 bits. */
    public static final int MAX_BATCH = 1 << 12;

    /**
     * Leading characters of the text form taken wholly from the first 64 bits (3 + 11 × 5 = 58 bits: the
     * time and 10 random bits), shared by the ids of one {@link #batch}.
     */
    public static final int SHARED_PREFIX_CHARS = 12;

    /** Milliseconds since the epoch at which the id was generated. */
    public long epochMillis() {
        return high >>> 16;
    }

    /** Parses the 26-character text form; throws {@link IllegalArgumentException} on anything else. */
    public static MessageId parse(String text) {
        if (text == null || text.length() != 26) {
            throw new IllegalArgumentException("message id must be 26 characters of Crockford base32");
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 26; i++) {
            int v = decodeChar(text.charAt(i));
            if (i == 0 && v > 7) {
                throw new IllegalArgumentException("message id out of range");
            }
            // 26 chars * 5 bits = 130 bits; the first char carries 3 bits.
            high = (high << 5) | (low >>> 59);
            low = (low << 5) | v;
        }
        return new MessageId(high, low);
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int decodeChar(char c) {
        char u = Character.toUpperCase(c);
        for (int i = 0; i < ALPHABET.length; i++) {
            if (ALPHABET[i] == u) {
                return i;
            }
        }
        throw new IllegalArgumentException("message id has a character outside Crockford base32: " + c);
    }

    @Override
    public String toString() {
        char[] out = new char[26];
        long h = high;
        long l = low;
        for (int i = 25; i >= 0; i--) {
            out[i] = ALPHABET[(int) (l & 31)];
            l = (l >>> 5) | (h << 59);
            h >>>= 5;
        }
        return new String(out);
    }

    @Override
    public int compareTo(MessageId o) {
        int c = Long.compareUnsigned(high, o.high);
        return c != 0 ? c : Long.compareUnsigned(low, o.low);
    }
}
