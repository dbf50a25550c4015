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
