package dev.herald.core.message;

/**
 * Field names of the status HASH at {@code RedisKeys.status(id)} and who moves them:
 * push-api writes the descriptive fields and {@code targets} for device lists; the dispatcher sets
 * {@code state} and counts {@code dropped}; access nodes add broadcast {@code targets} (devices online
 * when it was fanned out) and count {@code dropped} too (online-only pushes an MQTT queue gave up); the saver counts {@code stored}, {@code delivered} (acknowledged) and
 * {@code expired}.
 */
public final class MessageStatus {

    public static final String APP = "app";
    public static final String KIND = "kind";
    public static final String OFFLINE = "offline";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRES_AT = "expiresAt";
    public static final String STATE = "state";
    public static final String TARGETS = "targets";
    public static final String DELIVERED = "delivered";
    public static final String STORED = "stored";
    public static final String EXPIRED = "expired";
    /**
     * Online-only targets that were not connected, or whose MQTT queue had no room for the push: counted,
     * never silently lost.
     */
    public static final String DROPPED = "dropped";

    public static final String STATE_ACCEPTED = "accepted";
    public static final String STATE_DISPATCHED = "dispatched";

    /** Status is kept this long after the message expires, so senders can still read the outcome. */
    public static final long RETENTION_AFTER_EXPIRY_MS = 24L * 60 * 60 * 1000;

    private MessageStatus() {
    }
}
