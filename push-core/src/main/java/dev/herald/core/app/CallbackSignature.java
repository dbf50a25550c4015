package dev.herald.core.app;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature of an uplink callback. Herald POSTs each uplink to the app's callback URL with the headers
 * {@value #TIMESTAMP_HEADER}{@code : <epoch seconds>} and {@value #SIGNATURE_HEADER}{@code : v1=<hex>}
 * where {@code <hex>} is the lowercase hex HMAC-SHA256, keyed with the app's signing secret, of
 * {@code timestamp + "." + raw body}. A receiver recomputes it over the bytes it received (before any
 * JSON parsing) and rejects timestamps further than {@link #DEFAULT_TOLERANCE} from its clock, so a
 * captured request cannot be replayed later.
 */
public final class CallbackSignature {

    public static final String TIMESTAMP_HEADER = "X-Herald-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Herald-Signature";
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String VERSION_PREFIX = "v1=";
    private static final HexFormat HEX = HexFormat.of();

    private CallbackSignature() {
    }

    /** The value of {@value #SIGNATURE_HEADER} for {@code body} sent at {@code epochSeconds}. */
    public static String sign(String secret, long epochSeconds, byte[] body) {
        return VERSION_PREFIX + HEX.formatHex(hmac(secret, epochSeconds, body));
    }

    /** {@link #verify(Collection, String, String, byte[], Instant, Duration)} with {@link #DEFAULT_TOLERANCE}. */
    public static boolean verify(Collection<String> secrets, String timestampHeader, String signatureHeader, byte[] body,
                                 Instant now) {
        return verify(secrets, timestampHeader, signatureHeader, body, now, DEFAULT_TOLERANCE);
    }

    /** Verification with one secret. */
    public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body,
                                 Instant now) {
        return verify(List.of(secret), timestampHeader, signatureHeader, body, now, DEFAULT_TOLERANCE);
    }

    /**
     * Whether a callback request is genuine and fresh: its timestamp is within {@code tolerance} of
     * {@code now} (either side, for clock skew) and its signature matches under one of {@code secrets}
     * (the app's current and, during a rotation, previous secret). Every secret is tried and the
     * comparison is constant-time, so timing reveals neither which secret matched nor how many bytes did.
     */
    public static boolean verify(Collection<String> secrets, String timestampHeader, String signatureHeader, byte[] body,
                                 Instant now, Duration tolerance) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("no secrets to verify a callback signature against");
        }
        if (timestampHeader == null || signatureHeader == null || body == null
                || !signatureHeader.startsWith(VERSION_PREFIX)) {
            return false;
        }
        long timestamp;
        byte[] given;
        try {
            timestamp = Long.parseLong(timestampHeader.trim());
            given = HEX.parseHex(signatureHeader.substring(VERSION_PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        long skew = Math.abs(now.getEpochSecond() - timestamp);
        if (timestamp < 0 || skew > tolerance.toSeconds()) {
            return false;
        }
        boolean match = false;
        for (String secret : secrets) {
            match |= MessageDigest.isEqual(hmac(secret, timestamp, body), given);
        }
        return match;
    }

    private static byte[] hmac(String secret, long epochSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
