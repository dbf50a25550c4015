package dev.herald.core.app;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Device tokens: {@code v1.<expiry epoch seconds>.<base64url HMAC-SHA256>} where the HMAC, keyed with
 * the app's signing secret (its first), covers {@code "v1\n" + appId + "\n" + deviceId + "\n" + expiry}.
 * App servers mint them (through push-api or on their own with the same recipe); access nodes check them
 * against each of the app's secrets without any look-up.
 */
public final class DeviceToken {

    /** Outcome of a token check, mapped to a wire error code by the access node. */
    public enum Check {
        VALID, MALFORMED, BAD_SIGNATURE, EXPIRED
    }

    private static final String VERSION = "v1";

    private DeviceToken() {
    }

    public static String mint(String secret, String appId, String deviceId, Instant expiresAt) {
        long expiry = expiresAt.getEpochSecond();
        return VERSION + "." + expiry + "." + signature(secret, appId, deviceId, expiry);
    }

    public static Check check(String secret, String appId, String deviceId, String token, Instant now) {
        if (token == null) {
            return Check.MALFORMED;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            return Check.MALFORMED;
        }
        long expiry;
        try {
            expiry = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Check.MALFORMED;
        }
        byte[] expected = signature(secret, appId, deviceId, expiry).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = parts[2].getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Check.BAD_SIGNATURE;
        }
        return now.getEpochSecond() >= expiry ? Check.EXPIRED : Check.VALID;
    }

    /**
     * Checks a token against each of an app's secrets (two during a rotation): {@code VALID} when one
     * signed it and it has not expired, {@code EXPIRED} when one signed it but it has expired, otherwise
     * the outcome against the first secret.
     */
    public static Check check(List<String> secrets, String appId, String deviceId, String token, Instant now) {
        Check first = null;
        boolean expired = false;
        for (String secret : secrets) {
            Check result = check(secret, appId, deviceId, token, now);
            if (result == Check.VALID) {
                return result;
            }
            expired |= result == Check.EXPIRED;
            first = first == null ? result : first;
        }
        if (first == null) {
            throw new IllegalArgumentException("no secrets to check a token against");
        }
        return expired ? Check.EXPIRED : first;
    }

    private static String signature(String secret, String appId, String deviceId, long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] sig = mac.doFinal((VERSION + "\n" + appId + "\n" + deviceId + "\n" + expiry)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
