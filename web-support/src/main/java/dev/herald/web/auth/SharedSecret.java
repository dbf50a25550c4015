package dev.herald.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret that callers present to be let in (an admin token, a service key), with any others accepted while
 * it is being replaced. Compared in constant time: only SHA-256 digests are compared, all of one length, and
 * every accepted secret is compared every time, so the time taken reveals neither a secret, nor its length,
 * nor which one matched.
 */
public final class SharedSecret {

    private final List<byte[]> digests;

    private SharedSecret(List<byte[]> digests) {
        this.digests = digests;
    }

    /** Accepts {@code secret} and each of {@code alsoAccepted} that is not {@code null}. */
    public static SharedSecret of(String secret, String... alsoAccepted) {
        List<byte[]> digests = new ArrayList<>();
        digests.add(sha256(secret));
        for (String other : alsoAccepted) {
            if (other != null) {
                digests.add(sha256(other));
            }
        }
        return new SharedSecret(List.copyOf(digests));
    }

    /** Whether {@code presented} is one of the accepted secrets; {@code null} and empty never are. */
    public boolean matches(String presented) {
        if (presented == null || presented.isEmpty()) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean matches = false;
        for (byte[] accepted : digests) {
            matches |= MessageDigest.isEqual(accepted, digest);
        }
        return matches;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
