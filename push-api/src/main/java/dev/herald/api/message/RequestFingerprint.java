package dev.herald.api.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What an Idempotency-Key remembers of the request that claimed it: a SHA-256 of the validated messages,
 * so a retry is recognised as the same request and a reused key with another request is refused. It is
 * taken after validation, so JSON formatting, member order and the order of {@code deviceIds} do not make
 * a retry differ; what does is any target, the payload bytes, {@code offline} or the TTL.
 */
final class RequestFingerprint {

    private RequestFingerprint() {
    }

    static String of(OutgoingMessage message) {
        return of(List.of(message));
    }

    static String of(List<OutgoingMessage> messages) {
        MessageDigest sha256 = sha256();
        update(sha256, Integer.toString(messages.size()));
        for (OutgoingMessage m : messages) {
            update(sha256, m.kind().name());
            List<String> devices = new ArrayList<>(m.devices());
            devices.sort(null);
            update(sha256, Integer.toString(devices.size()));
            devices.forEach(d -> update(sha256, d));
            update(sha256, Boolean.toString(m.offline()));
            update(sha256, Long.toString(m.ttl().toMillis()));
            sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(m.payload().length).array());
            sha256.update(m.payload());
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Length-prefixed, so no two different field sequences hash the same bytes. */
    private static void update(MessageDigest digest, String field) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
