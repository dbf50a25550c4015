package dev.herald.core.room;

/** What the room's sequencer decided about a member's message. */
public enum SendOutcome {
    /** Ordered and delivered to the room; the result carries its seq. */
    SENT,
    /** The sender is muted in the room. */
    MUTED,
    /** The sender is no longer a member (left or was kicked before the message was ordered). */
    NOT_IN_ROOM,
    /** Over the room's send rate. */
    RATE_LIMITED
}
