package dev.herald.api.limit;

/** Which limit refused a send. */
enum LimitReason {
    /** {@code limits.messagesPerSecond}: the bucket is empty for now. */
    RATE,
    /** {@code limits.messagesPerDay}: nothing more until the next UTC day. */
    QUOTA;

    static LimitReason of(long code) {
        return code == 2 ? QUOTA : RATE;
    }
}
