package dev.herald.core.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * An app registered with Herald. {@code key} and one of {@code secrets} authenticate the app's server
 * on the REST API; the first secret signs new device tokens and any of them verifies one, so a secret
 * rotates without a gap: add the new secret second, move it first, then drop the old one.
 *
 * @param id          the app id, safe inside Redis keys ({@link Ids#APP_ID_PATTERN})
 * @param name        display name; the id when absent
 * @param key         the user name of the app's server on the REST API
 * @param secrets     one or two secrets of at least 16 characters; the first is the signing secret
 * @param cell        the cell whose dispatchers carry the app's messages ({@value #DEFAULT_CELL} when absent)
 * @param limits      rate limits (carried, not yet enforced)
 * @param callbackUrl where uplink messages are POSTed, signed with {@link CallbackSignature}; may be
 *                    {@code null} (uplinks of the app are then refused or dead-lettered)
 */
public record App(String id, String name, String key, List<String> secrets, String cell, AppLimits limits,
                  String callbackUrl) {

    public static final String DEFAULT_CELL = "default";
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int MAX_SECRETS = 2;

    public App {
        if (!Ids.isAppId(id)) {
            throw new IllegalArgumentException("app id must match " + Ids.APP_ID_PATTERN + ": " + id);
        }
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("app " + id + " needs a key");
        }
        if (secrets == null || secrets.isEmpty() || secrets.size() > MAX_SECRETS) {
            throw new IllegalArgumentException("app " + id + " needs one or two secrets, has "
                    + (secrets == null ? 0 : secrets.size()));
        }
        for (String secret : secrets) {
            if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("app " + id + " has a secret shorter than " + MIN_SECRET_LENGTH
                        + " characters");
            }
        }
        secrets = List.copyOf(secrets);
        name = name == null || name.isBlank() ? id : name;
        cell = cell == null || cell.isBlank() ? DEFAULT_CELL : cell;
        if (!Ids.isAppId(cell)) {
            throw new IllegalArgumentException("cell of app " + id + " must match " + Ids.APP_ID_PATTERN + ": " + cell);
        }
        limits = limits == null ? AppLimits.NONE : limits;
        callbackUrl = callbackUrl == null || callbackUrl.isBlank() ? null : callbackUrl;
    }

    /** An app with one secret, in the default cell, without limits or callback. */
    public App(String id, String name, String key, String secret) {
        this(id, name, key, secret == null ? null : List.of(secret), null, null, null);
    }

    /** The secret that signs new device tokens. */
    public String signingSecret() {
        return secrets.get(0);
    }

    /**
     * Whether {@code candidate} is one of the app's secrets. Compares digests of equal length against
     * every secret, so the time taken reveals neither which secret matched nor any secret's length.
     */
    public boolean secretMatches(String candidate) {
        if (candidate == null) {
            return false;
        }
        byte[] given = sha256(candidate);
        boolean match = false;
        for (String secret : secrets) {
            match |= MessageDigest.isEqual(sha256(secret), given);
        }
        return match;
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Never prints the secrets. */
    @Override
    public String toString() {
        return "App[id=" + id + ", name=" + name + ", key=" + key + ", secrets=" + secrets.size() + ", cell=" + cell
                + "]";
    }
}
