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
 * Device tokens, keyed with the app's signing secret (its first) and checked by access nodes against each of
 * the app's secrets without any look-up. Two forms are accepted:
 * <ul>
 * <li>{@code v2.<issued at, epoch ms>.<expiry, epoch s>.<base64url HMAC-SHA256>}, the HMAC covering
 * {@code "v2\n" + appId + "\n" + deviceId + "\n" + issuedAt + "\n" + expiry}: what {@link #mint} makes. Its
 * signed issue time lets a revocation ({@code h:revoked:{app:device}}) refuse the tokens issued up to it.</li>
 * <li>{@code v1.<expiry, epoch s>.<base64url HMAC-SHA256>}, the HMAC covering
 * {@code "v1\n" + appId + "\n" + deviceId + "\n" + expiry}: the first form, still minted by app servers that
 * follow the older recipe. Its issue time is unknown, so {@link #issuedAtMillis} counts it as issued at the
 * epoch: valid until its device has a revocation, refused from then on.</li>
 * </ul>
 */
public final class DeviceToken {

    /** Outcome of a token check, mapped to a wire error code by the access node. */
    public enum Check {
        VALID, MALFORMED, BAD_SIGNATURE, EXPIRED
    }

    /** The issue time of a {@code v1} token, which does not carry one: before any revocation. */
    public static final long UNKNOWN_ISSUE_TIME = 0;

    private static final String V1 = "v1";
    private static final String V2 = "v2";

    private DeviceToken() {
    }

    /** A {@code v2} token issued now. */
    public static String mint(String secret, String appId, String deviceId, Instant expiresAt) {
        return mint(secret, appId, deviceId, Instant.now(), expiresAt);
    }

    /** A {@code v2} token issued at {@code issuedAt} (kept to the millisecond). */
    public static String mint(String secret, String appId, String deviceId, Instant issuedAt, Instant expiresAt) {
        String claims = issuedAt.toEpochMilli() + "." + expiresAt.getEpochSecond();
        return V2 + "." + claims + "." + signature(secret, V2, appId, deviceId, claims);
    }

    /** A {@code v1} token, as app servers on the first recipe mint it; for compatibility tests. */
    public static String mintV1(String secret, String appId, String deviceId, Instant expiresAt) {
        String claims = Long.toString(expiresAt.getEpochSecond());
        return V1 + "." + claims + "." + signature(secret, V1, appId, deviceId, claims);
    }

    public static Check check(String secret, String appId, String deviceId, String token, Instant now) {
        Parsed parsed = Parsed.of(token);
        if (parsed == null) {
            return Check.MALFORMED;
        }
        byte[] expected = signature(secret, parsed.version, appId, deviceId, parsed.claims)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] actual = parsed.signature.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Check.BAD_SIGNATURE;
        }
        return now.getEpochSecond() >= parsed.expiry ? Check.EXPIRED : Check.VALID;
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

    /**
     * When a token that {@link #check} found {@code VALID} was issued, in epoch milliseconds (signed, so
     * trustworthy once checked); {@link #UNKNOWN_ISSUE_TIME} for a {@code v1} token.
     *
     * @throws IllegalArgumentException if the token is malformed
     */
    public static long issuedAtMillis(String token) {
        Parsed parsed = Parsed.of(token);
        if (parsed == null) {
            throw new IllegalArgumentException("not a device token");
        }
        return parsed.issuedAt;
    }

    private static String signature(String secret, String version, String appId, String deviceId, String claims) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            // The claims are signed with newlines between fields, as the recipe in docs/protocol.md says.
            byte[] sig = mac.doFinal((version + "\n" + appId + "\n" + deviceId + "\n" + claims.replace('.', '\n'))
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** A token split into its parts; {@code claims} is the text between version and signature, as sent. */
    private record Parsed(String version, String claims, long issuedAt, long expiry, String signature) {

        /** {@code null} unless the token has the layout of {@code v1} or {@code v2} with decimal numbers. */
        static Parsed of(String token) {
            if (token == null) {
                return null;
            }
            String[] parts = token.split("\\.", -1);
            try {
                if (parts.length == 3 && V1.equals(parts[0])) {
                    return new Parsed(V1, parts[1], UNKNOWN_ISSUE_TIME, decimal(parts[1]), parts[2]);
                }
                if (parts.length == 4 && V2.equals(parts[0])) {
                    return new Parsed(V2, parts[1] + "." + parts[2], decimal(parts[1]), decimal(parts[2]), parts[3]);
                }
            } catch (NumberFormatException e) {
                return null;
            }
            return null;
        }

        /** Plain decimal digits only: a sign or a leading '+' would make two spellings of one signed claim. */
        private static long decimal(String digits) {
            if (digits.isEmpty() || digits.length() > 19 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(digits);
            }
            return Long.parseLong(digits);
        }
    }
}
