package dev.herald.core.app;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature of a request to push-api. The app's server sends
 *
 * <pre>
 * Authorization: HERALD-HMAC-SHA256 key="&lt;app key&gt;", ts=&lt;epoch seconds&gt;, nonce=&lt;random&gt;, sig=&lt;hex&gt;
 * </pre>
 *
 * where {@code sig} is the lowercase hex HMAC-SHA256, keyed with one of the app's secrets, of the
 * <em>string to sign</em>: these eight lines joined by {@code \n} (no newline at the end)
 *
 * <pre>
 * HERALD-HMAC-SHA256
 * &lt;key&gt;
 * &lt;ts&gt;
 * &lt;nonce&gt;
 * &lt;METHOD&gt;                upper case
 * &lt;path&gt;                  as sent on the request line, percent-encoding untouched
 * &lt;query&gt;                 as sent after '?', empty when there is none
 * &lt;hex SHA-256 of body&gt;   of the bytes sent; an empty body hashes to e3b0c442...b855
 * </pre>
 *
 * The secret never travels; the timestamp bounds how long a captured request stays valid and the
 * nonce (16 to 64 characters of {@code [A-Za-z0-9_-]}, fresh per request) lets the server refuse an
 * exact replay inside that window. Parameters may be quoted ({@code key="a,b"}); the key must be
 * quoted when it holds a comma, a space or a quote. Client and server side live here together so
 * they cannot drift apart: push-api verifies, push-bench and the tests sign.
 */
public final class ApiSignature {

    /** The Authorization scheme, matched case-insensitively. */
    public static final String SCHEME = "HERALD-HMAC-SHA256";
    public static final String NONCE_PATTERN = "[A-Za-z0-9_-]{16,64}";

    private static final Pattern NONCE = Pattern.compile(NONCE_PATTERN);
    private static final Pattern HEX_SIGNATURE = Pattern.compile("[0-9a-fA-F]{64}");
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_HEADER_LENGTH = 2048;

    private ApiSignature() {
    }

    /** The parameters of a signed request's Authorization header. */
    public record Credentials(String key, long timestamp, String nonce, String signature) {

        /** Never prints the signature. */
        @Override
        public String toString() {
            return "Credentials[key=" + key + ", ts=" + timestamp + ", nonce=" + nonce + "]";
        }
    }

    /** Whether the Authorization header value uses this scheme (whatever its parameters). */
    public static boolean isScheme(String authorization) {
        return authorization != null && authorization.length() > SCHEME.length()
                && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && Character.isWhitespace(authorization.charAt(SCHEME.length()));
    }

    /**
     * Parses {@code HERALD-HMAC-SHA256 key=..., ts=..., nonce=..., sig=...}.
     *
     * @return why it cannot be used when it is malformed (a sentence for the caller), else the credentials
     */
    public static Parsed parse(String authorization) {
        if (!isScheme(authorization)) {
            return Parsed.failure("the Authorization scheme is not " + SCHEME);
        }
        if (authorization.length() > MAX_HEADER_LENGTH) {
            return Parsed.failure("the Authorization header is longer than " + MAX_HEADER_LENGTH + " characters");
        }
        Map<String, String> params = new HashMap<>();
        String error = parameters(authorization.substring(SCHEME.length()), params);
        if (error != null) {
            return Parsed.failure(error);
        }
        for (String name : new String[] {"key", "ts", "nonce", "sig"}) {
            if (params.get(name) == null || params.get(name).isEmpty()) {
                return Parsed.failure("the parameter '" + name + "' is missing");
            }
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(params.get("ts"));
        } catch (NumberFormatException e) {
            return Parsed.failure("'ts' must be the time of signing in whole seconds since 1970-01-01T00:00Z");
        }
        if (!NONCE.matcher(params.get("nonce")).matches()) {
            return Parsed.failure("'nonce' must be 16 to 64 characters of [A-Za-z0-9_-], fresh for every request");
        }
        if (!HEX_SIGNATURE.matcher(params.get("sig")).matches()) {
            return Parsed.failure("'sig' must be the 64 hex digits of an HMAC-SHA256");
        }
        return new Parsed(new Credentials(params.get("key"), timestamp, params.get("nonce"),
                params.get("sig").toLowerCase(Locale.ROOT)), null);
    }

    /** The outcome of {@link #parse}: credentials, or the reason there are none. */
    public record Parsed(Credentials credentials, String error) {
        static Parsed failure(String error) {
            return new Parsed(null, error);
        }

        public Optional<Credentials> value() {
            return Optional.ofNullable(credentials);
        }
    }

    /** RFC 9110 auth-params: {@code name=token} or {@code name="quoted"}, separated by commas. */
    private static String parameters(String text, Map<String, String> into) {
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                return "expected name=value parameters";
            }
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    return "the value of '" + name + "' has no closing quote";
                }
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            if (into.put(name, value.toString().trim()) != null) {
                return "the parameter '" + name + "' is given twice";
            }
        }
        return null;
    }

    /** The string to sign (see the class comment). {@code rawQuery} may be {@code null}. */
    public static String stringToSign(String key, long timestamp, String nonce, String method, String rawPath,
                                      String rawQuery, byte[] body) {
        return SCHEME + "\n" + key + "\n" + timestamp + "\n" + nonce + "\n" + method.toUpperCase(Locale.ROOT) + "\n"
                + rawPath + "\n" + (rawQuery == null ? "" : rawQuery) + "\n" + HEX.formatHex(sha256(body));
    }

    /** The lowercase hex HMAC-SHA256 of {@code stringToSign} keyed with {@code secret}. */
    public static String sign(String secret, String stringToSign) {
        return HEX.formatHex(hmac(secret, stringToSign));
    }

    /**
     * Whether {@code signature} (hex) is the HMAC of {@code stringToSign} under one of {@code secrets}
     * (two during a rotation). Every secret is tried and compared in constant time, so the time taken
     * tells neither which secret matched nor how many bytes did.
     */
    public static boolean matches(Collection<String> secrets, String stringToSign, String signature) {
        byte[] given;
        try {
            given = HEX.parseHex(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        boolean match = false;
        for (String secret : secrets) {
            match |= MessageDigest.isEqual(hmac(secret, stringToSign), given);
        }
        return match;
    }

    /**
     * The Authorization header value for one request, signed now with a fresh nonce: what a client
     * sends. {@code rawQuery} may be {@code null}; {@code body} is the exact bytes sent (empty for none).
     */
    public static String authorization(String key, String secret, String method, String rawPath, String rawQuery,
                                       byte[] body) {
        return authorization(key, secret, System.currentTimeMillis() / 1000, newNonce(), method, rawPath, rawQuery,
                body);
    }

    /** As {@link #authorization(String, String, String, String, String, byte[])} with a given time and nonce. */
    public static String authorization(String key, String secret, long timestamp, String nonce, String method,
                                       String rawPath, String rawQuery, byte[] body) {
        String signature = sign(secret, stringToSign(key, timestamp, nonce, method, rawPath, rawQuery, body));
        return SCHEME + " key=\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\", ts=" + timestamp
                + ", nonce=" + nonce + ", sig=" + signature;
    }

    /** 128 random bits, base64url without padding: 22 characters. */
    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data == null ? new byte[0] : data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    private static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
